// A quick look at the first lines of a CSV before it is uploaded (the server does the real parse).
import type { NormalisationKind } from "@/lib/datasets/client";

export type CsvPreview = { header: string[]; rows: string[][]; problems: string[] };

function splitLine(line: string): string[] {
  const out: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(cell.trim());
      cell = "";
    }
    else cell += c;
  }
  out.push(cell.trim());
  return out;
}

/** Header, first rows and the problems visible in them (the server names every line and column). */
export function previewCsv(text: string, maxRows = 5): CsvPreview {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) => l.trim() !== "");
  const complete = text.length < 64 * 1024 ? lines : lines.slice(0, -1); // the last line may be cut off
  if (complete.length === 0) return { header: [], rows: [], problems: ["the file is empty"] };
  const header = splitLine(complete[0]!);
  const rows = complete.slice(1, 1 + maxRows).map(splitLine);
  const problems: string[] = [];
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (seen.has(h)) problems.push(`column ${i + 1}: header "${h}" is duplicated`);
    seen.add(h);
  });
  rows.forEach((r, i) => {
    if (r.length !== header.length) problems.push(`line ${i + 2}: ${r.length} cells, the header has ${header.length}`);
  });
  if (complete.length < 2) problems.push("no data rows");
  return { header, rows, problems };
}

/**
 * The input scaling the form suggests for a preview: "global" when the features look like the pixels
 * of one image (16 or more columns, every value seen a number in 0–255), where per-column z-scores
 * would divide near-blank border pixels by a tiny std; otherwise "per-feature" (tabular columns with
 * unrelated units). Only a default: the creator chooses.
 */
export function suggestScaling(preview: CsvPreview, label: string): NormalisationKind {
  const features = preview.header.map((h, i) => (h === label ? -1 : i)).filter((i) => i >= 0);
  if (features.length < 16 || preview.rows.length === 0) return "per-feature";
  const pixel = (cell: string | undefined) => cell !== undefined && cell !== "" && Number.isFinite(Number(cell)) && Number(cell) >= 0 && Number(cell) <= 255;
  return preview.rows.every((r) => features.every((i) => pixel(r[i]))) ? "global" : "per-feature";
}
