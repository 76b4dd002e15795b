import { describe, expect, it } from "vitest";
import { jobWorkUnits, suggestedFee } from "@/lib/jobs/client";
import { estimateJob, formatDuration, ROUND_OVERHEAD_S } from "./job-estimate";

const hyper = { rounds: 5, shards: 8, localSteps: 20, batch: 32 };
const iris = { kind: "table" as const, features: 4, classes: 3 };

describe("estimateJob", () => {
  it("prices the work as the server does and floors the time at the rounds' sequence", () => {
    const e = estimateJob({ dataset: iris, model: { kind: "mlp", hidden: [64] }, hyper, redundancy: 2, fee: 10n ** 18n })!;
    const work = jobWorkUnits([4, 64, 3], hyper);
    expect(e.workUnits).toBe(work);
    expect(e.fragments).toBe(40);
    expect(e.suggestedFee).toBe(suggestedFee(work, 2));
    expect(e.seconds).toBeGreaterThan(5 * ROUND_OVERHEAD_S);
    expect(e.providerShare).toBeNull(); // no provider: the nodes get it all
  });

  it("splits the fee with a published dataset's provider", () => {
    const e = estimateJob({ dataset: { ...iris, provider: "0xabc", feeBps: 1000 }, model: { kind: "mlp", hidden: [8] }, hyper, redundancy: 1, fee: 50n * 10n ** 18n })!;
    expect(e.providerShare).toBe(5n * 10n ** 18n);
    expect(e.nodesShare).toBe(45n * 10n ** 18n);
  });

  it("has no estimate without a dataset or with a field that is not a positive whole number", () => {
    expect(estimateJob({ dataset: null, model: { kind: "mlp", hidden: [8] }, hyper, redundancy: 1, fee: 0n })).toBeNull();
    expect(estimateJob({ dataset: iris, model: { kind: "mlp", hidden: [8] }, hyper: { ...hyper, rounds: 0 }, redundancy: 1, fee: 0n })).toBeNull();
    expect(estimateJob({ dataset: iris, model: { kind: "gpt", layers: 2, heads: 4, dim: 64, context: 1.5 }, hyper, redundancy: 1, fee: 0n })).toBeNull();
  });

  it("estimates a language model from the vocabulary", () => {
    const e = estimateJob({ dataset: { kind: "text", features: 0, classes: 30 }, model: { kind: "gpt", layers: 2, heads: 4, dim: 64, context: 16 }, hyper, redundancy: 2, fee: null })!;
    expect(e.workUnits).toBeGreaterThan(0n);
    expect(e.providerShare).toBeNull();
  });
});

describe("formatDuration", () => {
  it("words a duration", () => {
    expect(formatDuration(42)).toBe("about 1 minute");
    expect(formatDuration(600)).toBe("about 10 minutes");
    expect(formatDuration(5400)).toBe("about 1.5 hours");
    expect(formatDuration(3 * 86400)).toBe("about 3 days");
  });
});
