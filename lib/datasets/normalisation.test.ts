import { describe, expect, it } from "vitest";
import { featureStats, type Table } from "./layout";
import { normalisationOf } from "./normalisation";

// Two "pixels" on one grey scale: one almost always blank (tiny std), one busy; and a constant one.
const x = Float32Array.from([0, 0.2, 0.5, 0, 0.9, 0.5, 0, 0.4, 0.5, 0.01, 0.7, 0.5]);
const table: Table = { rows: 4, features: 3, classes: 2, x, y: Uint32Array.from([0, 1, 0, 1]) };

describe("normalisationOf", () => {
  it("global: one mean and std over every value, repeated per feature, from the per-feature stats alone", () => {
    const n = normalisationOf("global", featureStats(table));
    const all = Array.from(x);
    const mean = all.reduce((a, b) => a + b, 0) / all.length;
    const std = Math.sqrt(all.reduce((a, b) => a + (b - mean) ** 2, 0) / all.length);
    expect(n.normalisation).toBe("global");
    for (let j = 0; j < 3; j++) {
      expect(n.mean[j]).toBeCloseTo(mean, 12);
      expect(n.std[j]).toBeCloseTo(std, 12);
    }
  });

  it("per-feature: each column's own mean and std; a constant column divides by 1, so no spec holds std 0", () => {
    const stats = featureStats(table);
    const n = normalisationOf("per-feature", stats);
    expect(n.normalisation).toBe("per-feature");
    expect(n.mean).toEqual(stats.mean);
    expect(n.std.slice(0, 2)).toEqual(stats.std.slice(0, 2));
    expect(stats.std[2]).toBe(0);
    expect(n.std[2]).toBe(1);
  });

  it("global on a dataset with no spread keeps std 1, and refuses mismatched stats", () => {
    expect(normalisationOf("global", { mean: [2, 2], std: [0, 0] }).std).toEqual([1, 1]);
    expect(() => normalisationOf("global", { mean: [0, 1], std: [1] })).toThrow(/2 means but 1/);
  });
});
