import { describe, expect, it } from "vitest";
import { DEMO_MNIST_JOB, DEMO_NAMES_JOB, SMALL_DEMO_MNIST_JOB } from "./demo";
import { createJobSchema } from "./schemas";

describe("demo jobs", () => {
  it("the tuned demo job is a valid job of 320 fragments seeing ≈ 25.6 epochs of MNIST's 8,000 training rows", () => {
    const j = createJobSchema.parse({ ...DEMO_MNIST_JOB, fee: "1" });
    const h = j.hyper;
    expect(h.rounds * h.shards).toBe(320);
    expect((h.rounds * h.shards * h.localSteps * h.batch) / 8000).toBeCloseTo(25.6, 6);
    expect(j.model).toMatchObject({ kind: "mlp", hidden: [128] });
  });

  it("the e2e server's small demo job stays at 40 fragments (e2e/jobs.spec.ts counts them)", () => {
    const j = createJobSchema.parse({ ...SMALL_DEMO_MNIST_JOB, fee: "1" });
    expect(j.hyper.rounds * j.hyper.shards).toBe(40);
  });

  it("the names demo is a language model at the issue's demo size (2 layers, 4 heads, dim 64, context 16)", () => {
    const j = createJobSchema.parse({ ...DEMO_NAMES_JOB, fee: "1" });
    expect(j.dataset).toBe("names");
    expect(j.model).toEqual({ kind: "gpt", layers: 2, heads: 4, dim: 64, context: 16, tied: true });
  });
});
