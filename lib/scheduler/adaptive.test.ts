import { describe, expect, it } from "vitest";
import { detectionProbability, spotCheckDrawn, spotCheckProbability, trustedWith } from "./adaptive";

const policy = { minValid: 10, floor: 0.05 };

describe("adaptive replication rule", () => {
  it("trusts a node only from minValid accepted results (reputation resets to 0 on a fault)", () => {
    expect(trustedWith(9, policy)).toBe(false);
    expect(trustedWith(10, policy)).toBe(true);
    expect(trustedWith(0, { minValid: 0, floor: 0 })).toBe(true);
  });

  it("checks every result at the threshold, then falls with reputation to the floor", () => {
    expect(spotCheckProbability(10, policy)).toBe(1);
    expect(spotCheckProbability(21, policy)).toBeCloseTo(0.25, 6);
    expect(spotCheckProbability(32, policy)).toBeCloseTo(1 / 9, 6);
    expect(spotCheckProbability(49, policy)).toBe(0.05);
    expect(spotCheckProbability(10_000, policy)).toBe(0.05);
    for (let r = 10; r < 200; r++) expect(spotCheckProbability(r + 1, policy)).toBeLessThanOrEqual(spotCheckProbability(r, policy));
    // minValid 0 (trust everyone): the first lone result is always checked
    expect(spotCheckProbability(0, { minValid: 0, floor: 0 })).toBe(1);
  });

  it("the expected spot checks over a long honest record stay bounded before the floor", () => {
    let checks = 0;
    for (let r = 10; r < 1000; r++) checks += spotCheckProbability(r, { ...policy, floor: 0 });
    expect(checks).toBeLessThan(12);
  });

  it("draws against p(r) with the coordinator's uniform number", () => {
    expect(spotCheckDrawn(21, policy, 0.24)).toBe(true);
    expect(spotCheckDrawn(21, policy, 0.26)).toBe(false);
    expect(spotCheckDrawn(10, policy, 0.999)).toBe(true);
  });

  it("a trusted cheater is caught with 1 − (1 − p)^n", () => {
    expect(detectionProbability(10, policy, 1)).toBe(1);
    expect(detectionProbability(1000, policy, 1)).toBeCloseTo(0.05, 9);
    expect(detectionProbability(1000, policy, 20)).toBeCloseTo(1 - 0.95 ** 20, 9);
    expect(detectionProbability(1000, policy, 59)).toBeGreaterThan(0.95);
  });
});
