import { describe, expect, it } from "vitest";
import { previewCsv, suggestScaling } from "./csv-preview";

const csv = (header: string[], rows: (string | number)[][]) => [header.join(","), ...rows.map((r) => r.join(","))].join("\n");

describe("suggestScaling", () => {
  const pixels = Array.from({ length: 16 }, (_, i) => `p${i}`);
  it("suggests one global scale for 16+ columns of values in 0–255 (pixels), ignoring the label column", () => {
    const p = previewCsv(csv([...pixels, "digit"], [[...pixels.map((_, i) => (i * 17) % 256), "seven"], [...pixels.map(() => 0), "one"]]));
    expect(suggestScaling(p, "digit")).toBe("global");
  });
  it("keeps per-column scaling for tabular data: few columns, negative, out of range or non-numeric values", () => {
    const iris = previewCsv(csv(["sepal_length", "sepal_width", "petal_length", "petal_width", "species"], [[5.1, 3.5, 1.4, 0.2, "setosa"]]));
    expect(suggestScaling(iris, "species")).toBe("per-feature");
    for (const bad of [-1, 256, "n/a", ""]) {
      const p = previewCsv(csv([...pixels, "y"], [[...pixels.map((_, i) => (i === 3 ? bad : 10)), "a"]]));
      expect(suggestScaling(p, "y"), String(bad)).toBe("per-feature");
    }
    expect(suggestScaling(previewCsv(csv([...pixels, "y"], [])), "y")).toBe("per-feature");
  });
});
