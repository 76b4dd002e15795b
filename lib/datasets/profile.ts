// The schema a catalogue page shows, computed once from the dataset's blob when it is published (the
// content never changes after, so neither does this): per column its type, min, max, mean and missing
// cells, and the first rows; for text its character set, length and first examples.
import type { DatasetProfile } from "./catalogue-schemas";
import type { Table } from "./layout";
import type { TextCorpus } from "./text";

export const PREVIEW_ROWS = 8;
const PREVIEW_CHARS = 200;

type TableMeta = { featureNames: string[]; classNames: string[]; labelColumn: string | null };

/** Float32 cells read back as the shortest decimal that is the same float32 (not 0.30000001192092896). */
const cell = (v: number) => (Number.isFinite(v) ? String(Number(Math.fround(v).toPrecision(7))) : "");

export function tableProfile(t: Table, meta: TableMeta): DatasetProfile {
  const d = t.features;
  const columns = Array.from({ length: d }, (_, j) => {
    let min = Infinity, max = -Infinity, sum = 0, n = 0, missing = 0, integer = true;
    for (let i = 0; i < t.rows; i++) {
      const v = t.x[i * d + j]!;
      if (!Number.isFinite(v)) {
        missing++;
        continue;
      }
      if (v < min) min = v;
      if (v > max) max = v;
      if (integer && !Number.isInteger(v)) integer = false;
      sum += v;
      n++;
    }
    return {
      name: meta.featureNames[j] ?? `x${j + 1}`,
      type: integer ? ("integer" as const) : ("number" as const),
      min: n ? min : null,
      max: n ? max : null,
      mean: n ? sum / n : null,
      missing,
    };
  });
  const label = { name: meta.labelColumn ?? "label", type: "label" as const, min: null, max: null, mean: null, missing: 0, classes: t.classes };
  const rows = Array.from({ length: Math.min(PREVIEW_ROWS, t.rows) }, (_, i) => [
    ...Array.from(t.x.subarray(i * d, (i + 1) * d), cell),
    meta.classNames[t.y[i]!] ?? String(t.y[i]),
  ]);
  return { kind: "table", rows: t.rows, columns: [...columns, label], preview: { header: [...columns.map((c) => c.name), label.name], rows } };
}

export function textProfile(c: TextCorpus): DatasetProfile {
  const examples = (c.train + c.validation).split("\n").filter((s) => s.length > 0);
  return {
    kind: "text",
    characters: [...c.train].length + [...c.validation].length,
    examples: c.stats.trainExamples + c.stats.validationExamples,
    characterSet: c.vocabulary.filter((ch) => ch !== "\n"),
    preview: examples.slice(0, PREVIEW_ROWS).map((s) => ([...s].length > PREVIEW_CHARS ? [...s].slice(0, PREVIEW_CHARS).join("") + "…" : s)),
  };
}
