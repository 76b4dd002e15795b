// A CSV (a header row, numeric feature columns, one label column) read as its bytes stream in, straight
// into the CXDS table the blob store keeps (./layout.ts). An upload runs it in a worker thread
// (./parse-worker.ts): nothing here ever runs on a request's event loop.
//
// Dialect: comma-separated; RFC 4180 quoting ("a ""b""", line breaks inside quotes); a leading UTF-8
// byte-order mark dropped; lines ending in \n, \r\n or \r; blanks around a field trimmed (not inside
// quotes); blank lines skipped. Names and labels are UTF-8.
//
// Bounds (each refusal names the line and column): a cell holds at most MAX_CELL_BYTES, the header at
// most MAX_FEATURES + 1 columns, the labels at most MAX_CLASSES distinct values; a NUL byte anywhere is a
// 400 (a binary file, and Postgres cannot store a NUL in a name). Every value an error quotes is cut to
// a few dozen characters, and a column list to ~160, whatever the file holds.
//
// Memory: feature values go into fixed-size chunks of whole rows as they parse (never one array that
// doubles and copies), and into the blob once the row count is known: about twice the table at most.
import type { ErrorCode } from "@/lib/api";
import { featureStats, HEADER_BYTES, MAGIC, VERSION } from "./layout";
import { parseNumber } from "./csv-number";

export const MAX_FEATURES = 10_000;
export const MAX_CLASSES = 1_000;
/** Longest cell (column name, label or number), in bytes. */
export const MAX_CELL_BYTES = 256;
/** Values per chunk of rows (1 MiB of float32). */
const CHUNK_VALUES = 1 << 18;

export type CsvTable = {
  /** The CXDS bytes (./layout.ts). */
  blob: Uint8Array;
  rows: number;
  features: number;
  classes: number;
  featureNames: string[];
  classNames: string[];
  labelColumn: string;
  mean: number[];
  std: number[];
};

type Details = { line?: number; column?: number; header?: string; offset?: number };

/**
 * A refused CSV: 422 naming the line and column (400 for a NUL byte: the body is not text at all). Not
 * an ApiError (whose module loads zod): the worker thread sends it to the route, which answers with it.
 */
export class CsvRejection extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Details,
    readonly status: 400 | 422 = 422,
  ) {
    super(message);
    this.name = "CsvRejection";
  }
}

/** `s` cut to `max` characters. */
export const clip = (s: string, max = 40) => (s.length > max ? `${s.slice(0, max)}…` : s);
/** `s` cut and quoted for a message (JSON escapes: a control character cannot garble it). */
export const quote = (s: string, max = 40) => JSON.stringify(clip(s, max));

const at = (line: number, column?: number, header?: string) =>
  `line ${line}${column !== undefined ? `, column ${column}${header !== undefined ? ` (${quote(header)})` : ""}` : ""}`;

/** The header's names for a message, about `budget` characters at most. */
function listColumns(header: string[], budget = 160): string {
  let out = "";
  for (const [i, h] of header.entries()) {
    const name = quote(h, 30);
    if (out.length + name.length > budget) return `${out}, … (${header.length} columns)`;
    out += (i ? ", " : "") + name;
  }
  return out;
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Class names in a stable order: numerically when every label is a number, else by code point. */
function orderClasses(names: string[]): string[] {
  const numeric = names.every((n) => NUMBER_RE.test(n));
  return [...names].sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
}

/** Checks the header row (no empty or duplicated names, the label column present, 1..MAX_FEATURES feature columns). */
function readHeader(header: string[], line: number, labelColumn: string): number {
  const seen = new Map<string, number>();
  for (const [i, h] of header.entries()) {
    if (h === "") throw new CsvRejection("csv_malformed", `${at(line, i + 1)}: empty column name in the header`, { line, column: i + 1 });
    const first = seen.get(h);
    if (first !== undefined) {
      throw new CsvRejection("csv_duplicate_header", `${at(line, i + 1, h)}: header ${quote(h)} duplicates column ${first + 1}`, { line, column: i + 1, header: clip(h) });
    }
    seen.set(h, i);
  }
  const labelIndex = header.indexOf(labelColumn);
  if (labelIndex < 0) {
    throw new CsvRejection("csv_missing_label", `${at(line)}: no label column ${quote(labelColumn)} in the header (columns: ${listColumns(header)})`, { line });
  }
  if (header.length < 2) throw new CsvRejection("csv_malformed", `${at(line)}: no feature columns besides the label ${quote(labelColumn)}`, { line });
  return labelIndex;
}

/** Rows as they parse: features in chunks of whole rows, labels as first-seen class ids. */
class TableBuilder {
  readonly features: number;
  readonly rowsPerChunk: number;
  private readonly chunks: { x: Float32Array; y: Uint32Array }[] = [];
  private rowInChunk = 0;
  readonly classIds = new Map<string, number>();
  rows = 0;

  constructor(
    readonly header: string[],
    readonly labelIndex: number,
  ) {
    this.features = header.length - 1;
    this.rowsPerChunk = Math.max(1, Math.floor(CHUNK_VALUES / this.features));
  }

  /** Where the next row's features go (a chunk is added when the last one is full). */
  nextRow(): { x: Float32Array; base: number } {
    let chunk = this.chunks.at(-1);
    if (!chunk || this.rowInChunk === this.rowsPerChunk) {
      chunk = { x: new Float32Array(this.rowsPerChunk * this.features), y: new Uint32Array(this.rowsPerChunk) };
      this.chunks.push(chunk);
      this.rowInChunk = 0;
    }
    return { x: chunk.x, base: this.rowInChunk * this.features };
  }

  /** Ends the row `nextRow` gave with its label's class id. */
  endRow(classId: number): void {
    this.chunks.at(-1)!.y[this.rowInChunk++] = classId;
    this.rows++;
  }

  /** The CXDS blob (classes renumbered in their stable order) and the per-feature statistics. */
  build(labelColumn: string): CsvTable {
    const { rows, features: d, classIds, header, labelIndex } = this;
    const classNames = orderClasses([...classIds.keys()]);
    const remap = new Uint32Array(classIds.size);
    for (const [name, id] of classIds) remap[id] = classNames.indexOf(name);
    const blob = new Uint8Array(HEADER_BYTES + 4 * rows * d + 4 * rows);
    const view = new DataView(blob.buffer);
    for (const [i, v] of [MAGIC, VERSION, rows, d, classNames.length, 0].entries()) view.setUint32(4 * i, v, true);
    const x = new Float32Array(blob.buffer, HEADER_BYTES, rows * d);
    const y = new Uint32Array(blob.buffer, HEADER_BYTES + 4 * rows * d, rows);
    let r = 0;
    for (const c of this.chunks.splice(0)) {
      const k = Math.min(this.rowsPerChunk, rows - r);
      x.set(c.x.subarray(0, k * d), r * d);
      for (let j = 0; j < k; j++) y[r + j] = remap[c.y[j]!]!;
      r += k;
    }
    const { mean, std } = featureStats({ rows, features: d, classes: classNames.length, x, y });
    if (!LITTLE_ENDIAN) swapWords(blob, HEADER_BYTES);
    const featureNames = header.filter((_, i) => i !== labelIndex);
    return { blob, rows, features: d, classes: classNames.length, featureNames, classNames, labelColumn, mean, std };
  }
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** CXDS is little-endian: on a big-endian host the native float32/u32 words are swapped in place. */
function swapWords(b: Uint8Array, from: number): void {
  for (let i = from; i + 3 < b.length; i += 4) {
    const [b0, b1] = [b[i]!, b[i + 1]!];
    b[i] = b[i + 3]!;
    b[i + 1] = b[i + 2]!;
    b[i + 2] = b1;
    b[i + 3] = b0;
  }
}

const [COMMA, QUOTE, LF, CR, SPACE, TAB] = [0x2c, 0x22, 0x0a, 0x0d, 0x20, 0x09];
// Tokenizer states: before a field, in an unquoted field, in a quoted one, just after a quote inside
// one (an escaped quote or the closing one), blanks after the closing quote.
const [FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED, AFTER_QUOTED] = [0, 1, 2, 3, 4];

/**
 * Reads a CSV chunk by chunk (`push`, then `finish`); the first problem throws a CsvRejection and the
 * reader is done. Chunks may split the file anywhere (inside a quote, a CRLF, a UTF-8 character).
 */
export class CsvTableReader {
  /** Bytes pushed so far. */
  bytes = 0;
  private line = 1;
  private recordLine = 1;
  private state = FIELD_START;
  private prevCR = false;
  private readonly cell = new Uint8Array(MAX_CELL_BYTES);
  private cellLen = 0;
  /** Length of the cell without its trailing blanks (unquoted cells). */
  private keptLen = 0;
  private quoted = false;
  private column = 0;
  private head: Uint8Array | null = new Uint8Array(0);
  private readonly headerCells: string[] = [];
  private table: TableBuilder | null = null;
  private row: { x: Float32Array; base: number } | null = null;
  private label: string | null = null;
  private readonly decoder = new TextDecoder();

  constructor(readonly labelColumn: string) {}

  get rows(): number {
    return this.table?.rows ?? 0;
  }

  push(chunk: Uint8Array): void {
    if (this.head) {
      // The first three bytes decide whether there is a byte-order mark to drop.
      const joined = new Uint8Array(this.head.length + chunk.length);
      joined.set(this.head);
      joined.set(chunk, this.head.length);
      if (joined.length < 3) return void (this.head = joined);
      this.head = null;
      const bom = joined[0] === 0xef && joined[1] === 0xbb && joined[2] === 0xbf;
      if (bom) this.bytes += 3;
      chunk = bom ? joined.subarray(3) : joined;
    }
    this.scan(chunk);
  }

  finish(): CsvTable {
    if (this.head) {
      const rest = this.head;
      this.head = null;
      this.scan(rest);
    }
    if (this.state === QUOTED) throw new CsvRejection("csv_malformed", `${at(this.recordLine, this.column + 1)}: a quoted field is not closed by the end of the file`, { line: this.recordLine, column: this.column + 1 });
    this.endLine();
    if (!this.table) throw new CsvRejection("csv_empty", "the file is empty: expected a header row and data rows");
    if (this.table.rows === 0) throw new CsvRejection("csv_empty", "line 2: the file has a header but no data rows", { line: 2 });
    if (this.table.classIds.size < 2) {
      const column = this.table.labelIndex + 1;
      throw new CsvRejection("csv_too_few_classes", `column ${column} (${quote(this.labelColumn)}): ${this.table.classIds.size} distinct label: a classifier needs at least two`, {
        column,
        header: clip(this.labelColumn),
      });
    }
    return this.table.build(this.labelColumn);
  }

  private scan(chunk: Uint8Array): void {
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const b = chunk[i]!;
      const wasCR = this.prevCR;
      this.prevCR = b === CR;
      if (b === 0) this.refuseNul(i);
      switch (this.state) {
        case FIELD_START:
          if (b === SPACE || b === TAB) break;
          if (b === QUOTE) {
            this.state = QUOTED;
            this.quoted = true;
          } else if (b === COMMA) this.endField();
          else if (b === LF || b === CR) {
            if (!(b === LF && wasCR)) this.endLine();
          } else {
            this.state = UNQUOTED;
            this.append(b);
            this.keptLen = this.cellLen;
          }
          break;
        case UNQUOTED:
          if (b === COMMA) this.endField();
          else if (b === LF || b === CR) this.endLine();
          else if (b === QUOTE) this.refuse(`a quote inside an unquoted field (quote the whole field: "…")`);
          else {
            this.append(b);
            if (b !== SPACE && b !== TAB) this.keptLen = this.cellLen;
          }
          break;
        case QUOTED:
          if (b === QUOTE) this.state = QUOTE_IN_QUOTED;
          else {
            if (b === CR || (b === LF && !wasCR)) this.line++;
            this.append(b);
          }
          break;
        default: // QUOTE_IN_QUOTED, AFTER_QUOTED
          if (b === QUOTE && this.state === QUOTE_IN_QUOTED) {
            this.append(b);
            this.state = QUOTED;
          } else if (b === COMMA) this.endField();
          else if (b === LF || b === CR) this.endLine();
          else if (b === SPACE || b === TAB) this.state = AFTER_QUOTED;
          else this.refuse("text after the closing quote of a quoted field");
      }
    }
    this.bytes += n;
  }

  private append(b: number): void {
    if (this.cellLen === MAX_CELL_BYTES) this.refuse(`a cell longer than ${MAX_CELL_BYTES} bytes (names, labels and numbers are shorter)`);
    this.cell[this.cellLen++] = b;
  }

  private refuse(why: string): never {
    const [line, column] = [this.recordLine, this.column + 1];
    throw new CsvRejection("csv_malformed", `${at(line, column)}: ${why}`, { line, column });
  }

  private refuseNul(i: number): never {
    const offset = this.bytes + i;
    throw new CsvRejection("csv_malformed", `${at(this.line)}: a NUL byte at offset ${offset}: not a text file`, { line: this.line, offset }, 400);
  }

  /** The cell's text (UTF-8; invalid sequences become U+FFFD). Short ASCII cells (most labels) skip the decoder's per-call cost. */
  private text(len: number): string {
    if (len <= 16) {
      let s = "";
      for (let i = 0; i < len; i++) {
        const c = this.cell[i]!;
        if (c >= 0x80) return this.decoder.decode(this.cell.subarray(0, len));
        s += String.fromCharCode(c);
      }
      return s;
    }
    return this.decoder.decode(this.cell.subarray(0, len));
  }

  private endField(): void {
    const len = this.quoted ? this.cellLen : this.keptLen;
    if (!this.table) {
      if (this.headerCells.length > MAX_FEATURES) {
        throw new CsvRejection("csv_malformed", `${at(this.recordLine)}: more than ${MAX_FEATURES} feature columns`, { line: this.recordLine });
      }
      this.headerCells.push(this.text(len));
    } else this.dataField(len);
    this.column++;
    this.cellLen = this.keptLen = 0;
    this.quoted = false;
    this.state = FIELD_START;
  }

  /** One cell of a data row: a feature value into the table, or the label kept for `endRecord`. */
  private dataField(len: number): void {
    const t = this.table!;
    const column = this.column;
    if (column >= t.header.length) this.ragged(column + 1);
    if (column === t.labelIndex) return void (this.label = this.text(len));
    this.row ??= t.nextRow();
    const v = parseNumber(this.cell, len);
    if (!Number.isFinite(v) || !Number.isFinite(Math.fround(v))) {
      const [line, header] = [this.recordLine, t.header[column]!];
      throw new CsvRejection("csv_non_numeric", `${at(line, column + 1, header)}: ${quote(this.text(len))} is not a finite number`, { line, column: column + 1, header: clip(header) });
    }
    this.row.x[this.row.base + (column < t.labelIndex ? column : column - 1)] = v;
  }

  /** A row with fewer cells than the header, or a cell past its last column. */
  private ragged(column: number): never {
    const t = this.table!;
    const line = this.recordLine;
    const cells = column > t.header.length ? `more than ${t.header.length}` : String(column - 1);
    const header = t.header[column - 1];
    throw new CsvRejection("csv_ragged_row", `${at(line, column)}: row has ${cells} cells, the header has ${t.header.length}`, {
      line,
      column,
      ...(header !== undefined ? { header: clip(header) } : {}),
    });
  }

  /** A line break (or the end of the file) outside quotes: ends the record, skipping a blank line. */
  private endLine(): void {
    const blank = this.column === 0 && !this.quoted && this.keptLen === 0;
    if (!blank) {
      this.endField();
      this.endRecord();
    }
    this.cellLen = this.keptLen = 0;
    this.state = FIELD_START;
    this.line++;
    this.recordLine = this.line;
  }

  private endRecord(): void {
    const line = this.recordLine;
    if (!this.table) {
      const labelIndex = readHeader(this.headerCells, line, this.labelColumn);
      this.table = new TableBuilder(this.headerCells.splice(0), labelIndex);
    } else {
      const t = this.table;
      if (this.column < t.header.length) this.ragged(this.column + 1);
      const label = this.label!;
      const column = t.labelIndex + 1;
      if (label === "") throw new CsvRejection("csv_malformed", `${at(line, column, this.labelColumn)}: empty label`, { line, column, header: clip(this.labelColumn) });
      let id = t.classIds.get(label);
      if (id === undefined) {
        if (t.classIds.size >= MAX_CLASSES) throw new CsvRejection("csv_malformed", `${at(line, column, this.labelColumn)}: more than ${MAX_CLASSES} classes`, { line, column });
        id = t.classIds.size;
        t.classIds.set(label, id);
      }
      t.endRow(id);
      this.row = null;
      this.label = null;
    }
    this.column = 0;
  }
}

/** A whole CSV at once (tests, small files). */
export function parseCsvBytes(bytes: Uint8Array, labelColumn: string): CsvTable {
  const reader = new CsvTableReader(labelColumn);
  reader.push(bytes);
  return reader.finish();
}
