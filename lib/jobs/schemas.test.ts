import { describe, expect, it } from "vitest";
import { createInferenceJobSchema, createJobSchema, jobRequestSchemaFor, MAX_PROMPTS_BYTES } from "./schemas";

describe("POST /api/jobs request shapes", () => {
  const modelId = "00000000-0000-4000-8000-000000000abc";

  it("validates a body with kind \"inference\" as an inference job, anything else as training", () => {
    expect(jobRequestSchemaFor({ kind: "inference" })).toBe(createInferenceJobSchema);
    expect(jobRequestSchemaFor({ dataset: "iris" })).toBe(createJobSchema);
    expect(jobRequestSchemaFor({ kind: "training" })).toBe(createJobSchema);
    expect(jobRequestSchemaFor(null)).toBe(createJobSchema);
  });

  it("fills an inference job's defaults and refuses training fields and a bad model id", () => {
    expect(createInferenceJobSchema.parse({ kind: "inference", modelId, dataset: "iris" })).toMatchObject({
      seed: 42, redundancy: 2, spotCheckRate: 0.05, minTier: 0, fee: "0",
    });
    // Fragment size and maxTokens depend on the model's kind: job creation fills them once it knows it.
    expect(createInferenceJobSchema.parse({ kind: "inference", modelId, prompts: "ab\n" })).not.toHaveProperty("rowsPerFragment");
    expect(createInferenceJobSchema.safeParse({ kind: "inference", modelId, prompts: "a".repeat(MAX_PROMPTS_BYTES + 1) }).error?.issues[0]?.path).toEqual(["prompts"]);
    expect(createInferenceJobSchema.safeParse({ kind: "inference", modelId, prompts: "a", maxTokens: 0 }).error?.issues[0]?.path).toEqual(["maxTokens"]);
    expect(createInferenceJobSchema.safeParse({ kind: "inference", modelId, dataset: "iris", hyper: {} }).success).toBe(false);
    expect(createInferenceJobSchema.safeParse({ kind: "inference", modelId: "nope", dataset: "iris" }).error?.issues[0]?.path).toEqual(["modelId"]);
  });

  it("still takes a training body with or without kind \"training\"", () => {
    expect(createJobSchema.parse({ dataset: "iris", kind: "training" }).dataset).toBe("iris");
    expect(createJobSchema.safeParse({ dataset: "iris", modelId }).success).toBe(false);
  });
});
