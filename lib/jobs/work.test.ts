import { describe, expect, it } from "vitest";
import { keccak256, stringToBytes } from "viem";
import { canonicalJson, specHashOf } from "./spec";
import { fragmentFlops, jobWorkUnits, suggestedFee } from "./work";

describe("job spec hash and work units", () => {
  it("canonical JSON sorts keys at every depth, drops whitespace, keeps array order", () => {
    expect(canonicalJson({ b: 1, a: [3, { z: "x", y: null }], c: 0.05 })).toBe('{"a":[3,{"y":null,"z":"x"}],"b":1,"c":0.05}');
    expect(specHashOf({ b: 1, a: 2 })).toBe(specHashOf({ a: 2, b: 1 }));
    expect(specHashOf({ a: 1 })).not.toBe(specHashOf({ a: 2 }));
    expect(specHashOf({ a: 1 })).toBe(keccak256(stringToBytes('{"a":1}')));
    expect(() => canonicalJson({ a: NaN })).toThrow();
  });

  it("counts 6·K·B·Σ n_{l−1}·n_l FLOPs per fragment and R·S fragments", () => {
    // MNIST 784-64-10, K=20, B=32
    expect(fragmentFlops([784, 64, 10], 20, 32)).toBe(6n * 20n * 32n * (784n * 64n + 64n * 10n));
    expect(jobWorkUnits([784, 64, 10], { rounds: 5, shards: 8, localSteps: 20, batch: 32 })).toBe(40n * 195_133_440n);
    expect(suggestedFee(10n ** 9n, 2)).toBe(2n * 10n ** 15n);
    expect(suggestedFee(1n, 1)).toBe(1_000_000n);
  });
});
