import { describe, expect, it } from "vitest";
import { BIGRAM_ALPHA, bigramNll, bigramValidationLoss, bigramWindowsLoss, fitBigram } from "./bigram";
import { windowsOf } from "./windows";

describe("bigram baseline", () => {
  // Train 0 1 2 1 2 0: pairs (0,1) (1,2) (2,1) (1,2) (2,0) → c(1,2) = 2, c(0) = 1, c(1) = 2, c(2) = 2; V = 3, α = 1.
  const m = fitBigram(Uint32Array.of(0, 1, 2, 1, 2, 0), 3);

  it("counts pairs and smooths with add-α (α = 1 by default)", () => {
    expect(BIGRAM_ALPHA).toBe(1);
    expect(Array.from(m.counts)).toEqual([0, 1, 0, 0, 0, 2, 1, 1, 0]);
    expect(Array.from(m.totals)).toEqual([1, 2, 2]);
    expect(bigramNll(m, 1, 2)).toBeCloseTo(-Math.log(3 / 5), 12);
    expect(bigramNll(m, 0, 0)).toBeCloseTo(-Math.log(1 / 4), 12); // unseen pair: α / (c(a) + αV)
    // Probabilities of each row sum to one.
    for (let a = 0; a < 3; a++) expect([0, 1, 2].reduce((s, b) => s + Math.exp(-bigramNll(m, a, b)), 0)).toBeCloseTo(1, 12);
  });

  it("validation loss of a known tiny corpus, by hand: pairs (1,2) 3/5, (2,0) 2/5, (0,2) 1/4", () => {
    const loss = bigramValidationLoss(m, Uint32Array.of(1, 2, 0, 2));
    expect(loss).toBeCloseTo(0.9378035723, 9);
    expect(loss).toBeCloseTo(-(Math.log(3 / 5) + Math.log(2 / 5) + Math.log(1 / 4)) / 3, 12);
    expect(() => bigramValidationLoss(m, Uint32Array.of(1))).toThrow(/two tokens/);
  });

  it("a larger α pulls towards uniform; a token never seen as predecessor predicts 1/V", () => {
    const big = fitBigram(Uint32Array.of(0, 1, 2, 1, 2, 0), 4, 1000);
    expect(bigramNll(big, 1, 2)).toBeCloseTo(-Math.log(1002 / 4002), 12);
    expect(bigramNll(fitBigram(Uint32Array.of(0, 1), 4), 3, 0)).toBeCloseTo(Math.log(4), 12);
    expect(() => fitBigram(Uint32Array.of(0, 5), 4)).toThrow(/vocabulary size/);
    expect(() => fitBigram(Uint32Array.of(0, 1), 4, 0)).toThrow(/α/);
  });

  it("the windows loss scores exactly the windows' target pairs", () => {
    const stream = Uint32Array.of(1, 2, 0, 2, 1, 0, 0);
    const w = windowsOf(stream, 2); // rows (1,2,0) (0,2,1) (1,0,0): every pair of the stream once
    expect(bigramWindowsLoss(m, w)).toBeCloseTo(bigramValidationLoss(m, stream), 12);
    const w3 = windowsOf(stream, 4); // one row (1,2,0,2,1): the last pairs (1,0) (0,0) are not covered
    expect(bigramWindowsLoss(m, w3)).toBeCloseTo(bigramValidationLoss(m, stream.subarray(0, 5)), 12);
  });
});
