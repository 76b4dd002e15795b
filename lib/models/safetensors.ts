// Reading safetensors (https://github.com/huggingface/safetensors): u64 little-endian header length N,
// N bytes of JSON header ({ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?: {…} },
// offsets relative to the byte after the header), then the tensors' bytes, which they must cover without
// a hole or an overlap. `SafetensorsValidator` checks a file as it streams in (the upload route feeds it
// the request's chunks, so a bad header stops the upload before its data arrives); `readSafetensors`
// runs the same checks on a whole file and returns the flat weights (the Try it panel's worker).
import type { ExpectedTensor } from "./config";

export const safetensorsErrorCodes = ["safetensors_malformed", "safetensors_mismatch", "safetensors_not_finite"] as const;
export type SafetensorsErrorCode = (typeof safetensorsErrorCodes)[number];

/** What is wrong and where: the tensor (and value index) or the header field. */
export type SafetensorsProblem = { tensor?: string; field?: string; index?: number; offset?: number };

export class SafetensorsError extends Error {
  constructor(
    readonly code: SafetensorsErrorCode,
    message: string,
    readonly details: SafetensorsProblem = {},
  ) {
    super(message);
    this.name = "SafetensorsError";
  }
}

/** The header of a real model is kilobytes; the format's own reader stops at 100 MB. */
export const MAX_HEADER_BYTES = 16 * 1024 * 1024;

const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, I64: 8, U64: 8, F64: 8,
};

export type HeaderTensor = { name: string; dtype: string; shape: number[]; begin: number; end: number };
export type SafetensorsHeader = { metadata: Record<string, string>; tensors: HeaderTensor[]; dataBytes: number };

const malformed = (message: string, details?: SafetensorsProblem) => new SafetensorsError("safetensors_malformed", message, details);
const mismatch = (message: string, details?: SafetensorsProblem) => new SafetensorsError("safetensors_mismatch", message, details);
const isIndex = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

function parseEntry(name: string, raw: unknown): HeaderTensor {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw malformed(`header: tensor "${name}" is not an object`, { tensor: name });
  const { dtype, shape, data_offsets: offsets, ...rest } = raw as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw malformed(`header: tensor "${name}" has an unknown field "${extra}"`, { tensor: name, field: extra });
  if (typeof dtype !== "string" || !(dtype in DTYPE_BYTES)) throw malformed(`header: tensor "${name}" has an unknown dtype ${JSON.stringify(dtype)}`, { tensor: name, field: "dtype" });
  if (!Array.isArray(shape) || !shape.every(isIndex)) throw malformed(`header: tensor "${name}": shape must be a list of non-negative integers`, { tensor: name, field: "shape" });
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex) || offsets[0] > offsets[1]) {
    throw malformed(`header: tensor "${name}": data_offsets must be [begin, end] with 0 ≤ begin ≤ end`, { tensor: name, field: "data_offsets" });
  }
  const [begin, end] = offsets as [number, number];
  const bytes = shape.reduce((n: number, d: number) => n * d, 1) * DTYPE_BYTES[dtype]!;
  if (end - begin !== bytes) {
    throw malformed(`header: tensor "${name}": data_offsets [${begin}, ${end}] hold ${end - begin} bytes, ${dtype} [${shape.join(", ")}] needs ${bytes}`, { tensor: name, field: "data_offsets" });
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

/** The JSON header (N bytes, after the length): every entry's fields, and offsets covering the data exactly. */
export function parseSafetensorsHeader(bytes: Uint8Array): SafetensorsHeader {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (e) {
    throw malformed(`header: not UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw malformed("header: must be a JSON object");
  const metadata: Record<string, string> = {};
  const tensors: HeaderTensor[] = [];
  for (const [name, raw] of Object.entries(json)) {
    if (name !== "__metadata__") {
      tensors.push(parseEntry(name, raw));
      continue;
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw malformed("header: __metadata__ must be an object of strings", { field: "__metadata__" });
    for (const [k, v] of Object.entries(raw)) {
      if (typeof v !== "string") throw malformed(`header: __metadata__.${k} must be a string`, { field: `__metadata__.${k}` });
      metadata[k] = v;
    }
  }
  const byStart = [...tensors].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const t of byStart) {
    if (t.begin !== at) {
      const what = t.begin > at ? `leaves bytes ${at}–${t.begin} unused` : `overlaps the tensor before it (which ends at ${at})`;
      throw malformed(`header: tensor "${t.name}" starts at ${t.begin} and ${what}`, { tensor: t.name, field: "data_offsets" });
    }
    at = t.end;
  }
  return { metadata, tensors, dataBytes: at };
}

const shapeText = (s: number[]) => `[${s.join(", ")}]`;

/** Each expected tensor present, F32 and of its shape; no other tensor. Errors name the tensor. */
export function checkTensors(header: SafetensorsHeader, expected: ExpectedTensor[]): void {
  const byName = new Map(header.tensors.map((t) => [t.name, t]));
  for (const e of expected) {
    const t = byName.get(e.name);
    if (!t) throw mismatch(`tensor "${e.name}" is missing (the config needs F32 ${shapeText(e.shape)})`, { tensor: e.name });
    if (t.dtype !== "F32") throw mismatch(`tensor "${e.name}" is ${t.dtype}, expected F32`, { tensor: e.name, field: "dtype" });
    if (shapeText(t.shape) !== shapeText(e.shape)) {
      throw mismatch(`tensor "${e.name}" has shape ${shapeText(t.shape)}, the config needs ${shapeText(e.shape)}`, { tensor: e.name, field: "shape" });
    }
  }
  const names = new Set(expected.map((e) => e.name));
  const extra = header.tensors.find((t) => !names.has(t.name));
  if (extra) throw mismatch(`tensor "${extra.name}" is not part of the config's model`, { tensor: extra.name });
}

type Phase = "length" | "header" | "data";

/**
 * Checks a safetensors file chunk by chunk, holding nothing but the header: the length, the header (fields,
 * offsets, every tensor against `expected`) as soon as it is complete, then every float of the data as it
 * arrives (NaN and ±∞ refused, naming the tensor and the value's index), and at `finish` that the file is
 * exactly as long as the header says. Throws SafetensorsError at the first problem.
 */
export class SafetensorsValidator {
  private phase: Phase = "length";
  private head = new Uint8Array(8);
  private filled = 0;
  private header: SafetensorsHeader | null = null;
  /** tensors by start offset, and the one the data position is in */
  private order: HeaderTensor[] = [];
  private current = 0;
  private pos = 0;
  private partial = new Uint8Array(4);
  private partialBytes = 0;
  private received = 0;

  constructor(
    private readonly expected: ExpectedTensor[],
    private readonly maxHeaderBytes = MAX_HEADER_BYTES,
  ) {}

  /** Bytes seen so far. */
  get size(): number {
    return this.received;
  }

  push(chunk: Uint8Array): void {
    this.received += chunk.length;
    let at = 0;
    while (at < chunk.length) {
      if (this.phase === "data") {
        this.data(chunk.subarray(at));
        return;
      }
      const take = Math.min(this.head.length - this.filled, chunk.length - at);
      this.head.set(chunk.subarray(at, at + take), this.filled);
      this.filled += take;
      at += take;
      if (this.filled === this.head.length) this.advance();
    }
  }

  private advance(): void {
    if (this.phase === "length") {
      const n = new DataView(this.head.buffer).getBigUint64(0, true);
      if (n < 2n || n > BigInt(this.maxHeaderBytes)) throw malformed(`header length ${n} is outside [2, ${this.maxHeaderBytes}] bytes`, { field: "header length" });
      this.phase = "header";
      this.head = new Uint8Array(Number(n));
      this.filled = 0;
      return;
    }
    const header = parseSafetensorsHeader(this.head);
    checkTensors(header, this.expected);
    this.header = header;
    this.order = [...header.tensors].sort((a, b) => a.begin - b.begin);
    this.phase = "data";
  }

  private data(bytes: Uint8Array): void {
    const total = this.header!.dataBytes;
    if (this.pos + this.partialBytes + bytes.length > total) {
      throw malformed(`the file is longer than its header says: ${total} bytes of tensor data, then more`, { offset: total });
    }
    let i = 0;
    if (this.partialBytes > 0) {
      while (this.partialBytes < 4 && i < bytes.length) this.partial[this.partialBytes++] = bytes[i++]!;
      if (this.partialBytes < 4) return;
      this.checkWord(new DataView(this.partial.buffer).getUint32(0, true));
      this.partialBytes = 0;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const whole = i + Math.floor((bytes.length - i) / 4) * 4;
    for (; i < whole; i += 4) {
      const w = view.getUint32(i, true);
      // Exponent bits all set: ±∞ or NaN. Finite words only advance the position.
      if ((w & 0x7f800000) === 0x7f800000) this.checkWord(w);
      else this.pos += 4;
    }
    for (; i < bytes.length; i++) this.partial[this.partialBytes++] = bytes[i]!;
  }

  private checkWord(w: number): void {
    if ((w & 0x7f800000) === 0x7f800000) {
      while (this.order[this.current]!.end <= this.pos) this.current++;
      const t = this.order[this.current]!;
      const index = (this.pos - t.begin) / 4;
      const what = (w & 0x007fffff) !== 0 ? "NaN" : w >>> 31 ? "-Infinity" : "Infinity";
      throw new SafetensorsError("safetensors_not_finite", `tensor "${t.name}" holds ${what} at index ${index}`, { tensor: t.name, index });
    }
    this.pos += 4;
  }

  /** The header, once the whole file has arrived; throws when it is truncated. */
  finish(): SafetensorsHeader {
    if (this.phase === "length") throw malformed(`truncated header: the file is ${this.received} bytes, shorter than the 8-byte header length`, { field: "header length" });
    if (this.phase === "header") {
      throw malformed(`truncated header: the header is ${this.head.length} bytes, the file ends after ${this.filled} of them`, { field: "header" });
    }
    const got = this.pos + this.partialBytes;
    if (got < this.header!.dataBytes) {
      const t = this.order.find((x) => x.end > got);
      throw malformed(`truncated data: the header promises ${this.header!.dataBytes} bytes of tensors, the file holds ${got}${t ? ` (tensor "${t.name}" is cut)` : ""}`, { tensor: t?.name, offset: got });
    }
    return this.header!;
  }
}

/**
 * A whole safetensors file checked against `expected` (as the upload was) and laid out as the model's flat
 * float32 weights: each tensor at its `offset`, little-endian as stored.
 */
export function readSafetensors(bytes: Uint8Array, expected: ExpectedTensor[]): { header: SafetensorsHeader; weights: Float32Array } {
  const v = new SafetensorsValidator(expected);
  v.push(bytes);
  const header = v.finish();
  const start = 8 + Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  const byName = new Map(header.tensors.map((t) => [t.name, t]));
  const total = expected.reduce((n, e) => Math.max(n, e.offset + e.length), 0);
  const weights = new Float32Array(total);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const e of expected) {
    const t = byName.get(e.name)!;
    for (let i = 0; i < e.length; i++) weights[e.offset + i] = view.getFloat32(start + t.begin + 4 * i, true);
  }
  return { header, weights };
}
