import { describe, expect, it } from "vitest";
import { tableProfile, textProfile } from "./profile";

describe("tableProfile", () => {
  const t = { rows: 3, features: 2, classes: 2, x: new Float32Array([1, 0.1, 2, 0.2, 4, NaN]), y: new Uint32Array([0, 1, 0]) };
  const p = tableProfile(t, { featureNames: ["a", "b"], classNames: ["red", "blue"], labelColumn: "colour" });

  it("types, ranges, means and missing cells per column, then the label column", () => {
    if (p.kind !== "table") throw new Error("table expected");
    expect(p.columns[0]).toEqual({ name: "a", type: "integer", min: 1, max: 4, mean: 7 / 3, missing: 0 });
    expect(p.columns[1]).toMatchObject({ name: "b", type: "number", missing: 1 });
    expect(p.columns[1]!.min).toBeCloseTo(0.1, 6);
    expect(p.columns[1]!.mean).toBeCloseTo(0.15, 6);
    expect(p.columns[2]).toMatchObject({ name: "colour", type: "label", classes: 2 });
  });

  it("previews the first rows with float32 cells written short and labels by name", () => {
    if (p.kind !== "table") throw new Error("table expected");
    expect(p.preview.header).toEqual(["a", "b", "colour"]);
    expect(p.preview.rows[0]).toEqual(["1", "0.1", "red"]);
    expect(p.preview.rows[2]).toEqual(["4", "", "red"]);
  });
});

describe("textProfile", () => {
  it("counts characters (code points) and lists the character set without the boundary", () => {
    const p = textProfile({ train: "\nab\né\n", validation: "\nba\n", vocabulary: ["\n", "a", "b", "é"], stats: { trainExamples: 2, validationExamples: 1, droppedValidationExamples: 0, unseenCharacters: [] } });
    expect(p).toEqual({ kind: "text", characters: 10, examples: 3, characterSet: ["a", "b", "é"], preview: ["ab", "é", "ba"] });
  });
});
