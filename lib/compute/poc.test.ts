import { describe, expect, it } from "vitest";
import { FREIVALDS_ROUNDS, pocMatrices, pocProductCpu, pocProductWasm, verifyPocProduct } from ".";

describe("Compute-PoC", () => {
  it("multiplies u32 matrices with wrapping arithmetic, the same on CPU and WASM", async () => {
    const a = Uint32Array.from([0xffffffff, 2, 3, 4]);
    const b = Uint32Array.from([2, 0, 0x80000000, 1]);
    // row 0: (−1)·2 + 2·2^31 = −2 ≡ 2^32 − 2; (−1)·0 + 2·1 = 2
    expect(pocProductCpu(a, b, 2)).toEqual(Uint32Array.from([0xfffffffe, 2, (6 + 4 * 0x80000000) >>> 0, 4]));
    for (const n of [1, 3, 8, 37]) {
      const m = pocMatrices({ seed: n, n });
      expect(await pocProductWasm(m.a, m.b, n)).toEqual(pocProductCpu(m.a, m.b, n));
    }
  });

  it("accepts a correct product and catches a wrong element or another seed's product", () => {
    const challenge = { seed: 42, n: 33 };
    const { a, b } = pocMatrices(challenge);
    const c = pocProductCpu(a, b, challenge.n);
    expect(verifyPocProduct(challenge, c)).toEqual({ ok: true, rounds: FREIVALDS_ROUNDS });
    expect(FREIVALDS_ROUNDS).toBeGreaterThan(20); // each round halves the false-accept chance: < 2^-20

    const wrong = c.slice();
    wrong[17 * 33 + 5] ^= 1 << 31; // one element, one bit
    expect(verifyPocProduct(challenge, wrong).ok).toBe(false);

    const other = pocMatrices({ seed: 43, n: 33 });
    expect(verifyPocProduct(challenge, pocProductCpu(other.a, other.b, 33)).ok).toBe(false);
    expect(verifyPocProduct(challenge, c.subarray(1)).ok).toBe(false);
  });

  it("fails a wrong element in a round whose random vector picks its column", () => {
    const challenge = { seed: 1, n: 4 };
    const { a, b } = pocMatrices(challenge);
    const wrong = pocProductCpu(a, b, 4);
    wrong[2] += 1; // row 0, column 2
    const only = (col: number) => () => Uint8Array.from([0, 1, 2, 3], (j) => (j === col ? 1 : 0));
    expect(verifyPocProduct(challenge, wrong, { rounds: 1, randomBits: only(1) }).ok).toBe(true);
    expect(verifyPocProduct(challenge, wrong, { rounds: 1, randomBits: only(2) }).ok).toBe(false);
  });
});
