import { describe, expect, it } from "vitest";
import { keccak256, stringToBytes } from "viem";
import { canonicalSpecJson, specHashOf } from "./spec";
import { fragmentFlops as computeFragmentFlops } from "@/lib/compute";
import { fragmentFlops, jobWorkUnits, suggestedFee } from "./work";

describe("job spec hash and work units", () => {
  it("canonical JSON sorts keys at every depth, drops whitespace, keeps array order", () => {
    expect(canonicalSpecJson({ b: 1, a: [3, { z: "x", y: null }], c: 0.05 })).toBe('{"a":[3,{"y":null,"z":"x"}],"b":1,"c":0.05}');
    expect(specHashOf({ b: 1, a: 2 })).toBe(specHashOf({ a: 2, b: 1 }));
    expect(specHashOf({ a: 1 })).not.toBe(specHashOf({ a: 2 }));
    expect(specHashOf({ a: 1 })).toBe(keccak256(stringToBytes('{"a":1}')));
    expect(() => canonicalSpecJson({ a: NaN })).toThrow();
  });

  it("pins a spec hash: spec hashes are committed on-chain, so the canonical form must never drift", () => {
    const spec = { layers: [784, 64, 10], activation: "tanh", lr: 0.05, scales: { "10": "minmax", "9": "zscore" }, note: "é" };
    // JCS sorts integer-like keys as strings: "10" before "9" (canonicalEvidenceJson does the opposite).
    expect(canonicalSpecJson(spec)).toBe('{"activation":"tanh","layers":[784,64,10],"lr":0.05,"note":"é","scales":{"10":"minmax","9":"zscore"}}');
    expect(specHashOf(spec)).toBe("0xae1588c96ef3a55016153ab61a79285833e4eec82c2dce13e48f6f864c557893");
  });

  it("prices a fragment with lib/compute's work units, and a job as R·S fragments", () => {
    const spec = { layers: [784, 64, 10], activation: "tanh" as const };
    // MNIST 784-64-10, K=20, B=32: the same figure the compute library credits, whatever the activation.
    expect(fragmentFlops(spec.layers, 20, 32)).toBe(BigInt(computeFragmentFlops(spec, 20, 32)));
    expect(fragmentFlops(spec.layers, 20, 32)).toBe(BigInt(computeFragmentFlops({ ...spec, activation: "relu" }, 20, 32)));
    // At least the multiply-adds of the forward and weight-gradient matmuls (2·B·n_{l−1}·n_l each) per step.
    expect(fragmentFlops(spec.layers, 20, 32)).toBeGreaterThan(4n * 20n * 32n * (784n * 64n + 64n * 10n));
    expect(jobWorkUnits(spec.layers, { rounds: 5, shards: 8, localSteps: 20, batch: 32 })).toBe(40n * fragmentFlops(spec.layers, 20, 32));
    expect(suggestedFee(10n ** 9n, 2)).toBe(2n * 10n ** 15n);
    expect(suggestedFee(1n, 1)).toBe(1_000_000n);
  });
});
