import type { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { ApiError, type ErrorCode } from "@/lib/api";
import type { Table } from "./layout";

export const MAX_FEATURES = 10_000;
export const MAX_CLASSES = 1_000;

export type ParsedCsv = Table & { featureNames: string[]; classNames: string[]; labelColumn: string };

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export class CsvRejection extends ApiError {
  constructor(code: ErrorCode, message: string, details?: { line?: number; column?: number; header?: string }) {
    super(422, code, message, details);
  }
}

const at = (line: number, column?: number, header?: string) =>
  `line ${line}${column !== undefined ? `, column ${column}${header !== undefined ? ` ("${header}")` : ""}` : ""}`;

/** Class names in a stable order: numerically when every label is a number, else by code point. */
function orderClasses(names: string[]): string[] {
  const numeric = names.every((n) => NUMBER_RE.test(n));
  return [...names].sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
}

/** Checks the header row (no empty or duplicated names, the label column present, 1..MAX_FEATURES feature columns). */
function readHeader(header: string[], line: number, labelColumn: string): { labelIndex: number; featureIdx: number[] } {
  const seen = new Map<string, number>();
  for (const [i, h] of header.entries()) {
    if (h === "") throw new CsvRejection("csv_malformed", `${at(line, i + 1)}: empty column name in the header`, { line, column: i + 1 });
    const first = seen.get(h);
    if (first !== undefined) {
      throw new CsvRejection("csv_duplicate_header", `${at(line, i + 1, h)}: header "${h}" duplicates column ${first + 1}`, { line, column: i + 1, header: h });
    }
    seen.set(h, i);
  }
  const labelIndex = header.indexOf(labelColumn);
  if (labelIndex < 0) {
    throw new CsvRejection("csv_missing_label", `${at(line)}: no label column "${labelColumn}" in the header (columns: ${header.join(", ")})`, { line });
  }
  const featureIdx = header.map((_, i) => i).filter((i) => i !== labelIndex);
  if (featureIdx.length === 0) throw new CsvRejection("csv_malformed", `${at(line)}: no feature columns besides the label "${labelColumn}"`, { line });
  if (featureIdx.length > MAX_FEATURES) throw new CsvRejection("csv_malformed", `${at(line)}: ${featureIdx.length} feature columns, at most ${MAX_FEATURES}`, { line });
  return { labelIndex, featureIdx };
}

/** The table as it grows: features row-major in a doubling buffer, labels as first-seen class ids. */
type Accumulator = { header: string[]; labelIndex: number; featureIdx: number[]; x: Float32Array; labels: number[]; classIds: Map<string, number>; rows: number };

/** Appends one data row, refusing a ragged row, a non-numeric cell, an empty label or one class too many. */
function addRow(acc: Accumulator, record: string[], line: number, labelColumn: string): void {
  const { header, featureIdx, labelIndex, classIds } = acc;
  if (record.length !== header.length) {
    const column = Math.min(record.length, header.length) + 1;
    throw new CsvRejection(
      "csv_ragged_row",
      `${at(line, column)}: row has ${record.length} cells, the header has ${header.length}`,
      { line, column, header: header[column - 1] },
    );
  }
  const d = featureIdx.length;
  if ((acc.rows + 1) * d > acc.x.length) {
    const grown = new Float32Array(Math.max(acc.x.length * 2, (acc.rows + 1) * d));
    grown.set(acc.x);
    acc.x = grown;
  }
  for (let k = 0; k < d; k++) {
    const j = featureIdx[k]!;
    const cell = record[j]!;
    const v = NUMBER_RE.test(cell) ? Number(cell) : NaN;
    if (!Number.isFinite(v) || !Number.isFinite(Math.fround(v))) {
      throw new CsvRejection("csv_non_numeric", `${at(line, j + 1, header[j])}: "${cell.slice(0, 40)}" is not a finite number`, { line, column: j + 1, header: header[j] });
    }
    acc.x[acc.rows * d + k] = v;
  }
  const label = record[labelIndex]!;
  if (label === "") throw new CsvRejection("csv_malformed", `${at(line, labelIndex + 1, labelColumn)}: empty label`, { line, column: labelIndex + 1, header: labelColumn });
  let id = classIds.get(label);
  if (id === undefined) {
    if (classIds.size >= MAX_CLASSES) throw new CsvRejection("csv_malformed", `${at(line, labelIndex + 1, labelColumn)}: more than ${MAX_CLASSES} classes`, { line, column: labelIndex + 1 });
    id = classIds.size;
    classIds.set(label, id);
  }
  acc.labels.push(id);
  acc.rows++;
}

/** Refuses a table without rows or with fewer than two classes, then renumbers the classes in their stable order. */
function finishTable(acc: Accumulator | null, labelColumn: string): ParsedCsv {
  if (!acc) throw new CsvRejection("csv_empty", "the file is empty: expected a header row and data rows");
  const { header, labelIndex, featureIdx, classIds, rows } = acc;
  if (rows === 0) throw new CsvRejection("csv_empty", "line 2: the file has a header but no data rows", { line: 2 });
  if (classIds.size < 2) {
    throw new CsvRejection("csv_too_few_classes", `column ${labelIndex + 1} ("${labelColumn}"): ${classIds.size} distinct label: a classifier needs at least two`, { column: labelIndex + 1, header: labelColumn });
  }
  const classNames = orderClasses([...classIds.keys()]);
  const remap = new Uint32Array(classIds.size);
  for (const [name, id] of classIds) remap[id] = classNames.indexOf(name);
  const y = Uint32Array.from(acc.labels, (id) => remap[id]!);
  acc.labels = [];
  const d = featureIdx.length;
  return {
    rows,
    features: d,
    classes: classNames.length,
    x: acc.x.slice(0, rows * d),
    y,
    featureNames: featureIdx.map((i) => header[i]!),
    classNames,
    labelColumn,
  };
}

/**
 * Parses a CSV stream (header row, numeric feature columns, one label column) into a table as it
 * streams. Every refusal is a 422 naming the line and column: empty file, duplicated header, missing
 * label column, ragged row, non-numeric cell, fewer than two classes.
 */
export async function parseCsv(source: Readable, labelColumn: string): Promise<ParsedCsv> {
  const parser = source.pipe(parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }));
  let acc: Accumulator | null = null;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = info.lines;
      if (!acc) {
        const { labelIndex, featureIdx } = readHeader(record, line, labelColumn);
        acc = { header: record, labelIndex, featureIdx, x: new Float32Array(1024), labels: [], classIds: new Map(), rows: 0 };
        continue;
      }
      addRow(acc, record, line, labelColumn);
    }
  } catch (e) {
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines;
      throw new CsvRejection("csv_malformed", `${line ? `${at(line)}: ` : ""}${e.message}`, line ? { line } : undefined);
    }
    throw e;
  } finally {
    source.unpipe?.();
  }
  return finishTable(acc, labelColumn);
}
