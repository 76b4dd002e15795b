// The binary layout of datasets and shards (one format for both). Everything little-endian:
//
//   offset  size      field
//   0       4         magic, ASCII "CXDS"
//   4       4         u32 version: 1, or 2 (a feature dtype at offset 20)
//   8       4         u32 rows n
//   12      4         u32 features d
//   16      4         u32 classes c
//   20      4         v1: u32 reserved = 0; v2: u32 feature dtype, 0 = f32 (s = 4 bytes), 1 = u8 (s = 1 byte)
//   24      s·n·d     features, row-major: row i, feature j at 24 + s·(i·d + j); raw values, not normalised
//   …       0–3       v2 only: zero bytes up to a multiple of 4 (L = 24 + align4(s·n·d); v1: L = 24 + 4·n·d)
//   L       4·n       u32 labels, each in [0, c)
//
// Features are stored raw; every worker normalises with the mean and standard deviation recorded in
// the job's spec (lib/datasets/normalisation.ts): x' = (x − mean_j) / (std_j || 1), so all replicas see
// identical inputs. A u8 feature widens exactly to the float32 (and float64) value it stands for, so a v2
// u8 table normalises to the very same x' as the v1 table of the same rows; it is a quarter of the bytes
// to store, send, hash and read (MNIST pixels are integers 0…255). Encoders write v1 unless asked for
// the compact form (encodeTable's `compact`), so existing blobs and their hashes stay as they are.
// The blob's name is the sha-256 of exactly these bytes.

export const MAGIC = 0x53445843; // "CXDS" read as little-endian u32
export const VERSION = 1;
/** The version whose offset 20 names the features' dtype. */
export const VERSION_DTYPE = 2;
export const HEADER_BYTES = 24;
/** Feature dtype codes of a v2 table (offset 20). */
export const FEATURE_DTYPES = { f32: 0, u8: 1 } as const;
export type FeatureDtype = keyof typeof FEATURE_DTYPES;

export type Table = { rows: number; features: number; classes: number; x: Float32Array; y: Uint32Array };
/** A decoded table whose features keep their stored dtype (a u8 table is read without widening). */
export type RawTable = Omit<Table, "x"> & { x: Float32Array | Uint8Array; dtype: FeatureDtype };

const align4 = (n: number) => (n + 3) & ~3;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Every feature is an integer in [0, 255] (the table can be written with u8 features, losslessly). */
export function fitsU8(x: Float32Array): boolean {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    // Also false for NaN; -0 is not kept by u8, so it does not fit either.
    if (!(v >= 0 && v <= 255 && Math.trunc(v) === v) || Object.is(v, -0)) return false;
  }
  return true;
}

/**
 * The table's bytes. `compact`: u8 features (CXDS v2) when every feature fits (fitsU8), else v1 as
 * without it. Only the dtype differs: decoding either gives the same table.
 */
export function encodeTable(t: Table, { compact = false }: { compact?: boolean } = {}): Uint8Array {
  if (t.x.length !== t.rows * t.features || t.y.length !== t.rows) throw new Error("table shape does not match its arrays");
  const u8 = compact && fitsU8(t.x);
  const featureBytes = u8 ? align4(t.x.length) : 4 * t.x.length;
  const bytes = new Uint8Array(HEADER_BYTES + featureBytes + 4 * t.rows);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, u8 ? VERSION_DTYPE : VERSION, true);
  view.setUint32(8, t.rows, true);
  view.setUint32(12, t.features, true);
  view.setUint32(16, t.classes, true);
  view.setUint32(20, u8 ? FEATURE_DTYPES.u8 : 0, true);
  let at = HEADER_BYTES;
  if (u8) bytes.set(t.x, at); // exact: fitsU8 checked every value
  else for (let i = 0; i < t.x.length; i++) view.setFloat32(at + 4 * i, t.x[i]!, true);
  at += featureBytes;
  for (let i = 0; i < t.y.length; i++, at += 4) view.setUint32(at, t.y[i]!, true);
  return bytes;
}

/**
 * The bytes → the table with its features as stored: a u8 table's features are a view of `bytes` (no
 * copy; do not modify them), a f32 table's a Float32Array. Every malformation is an Error naming it.
 */
export function decodeTableRaw(bytes: Uint8Array): RawTable {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < HEADER_BYTES || view.getUint32(0, true) !== MAGIC) throw new Error("not a CXDS table (bad magic)");
  const version = view.getUint32(4, true);
  if (version !== VERSION && version !== VERSION_DTYPE) throw new Error(`unsupported CXDS version ${version}`);
  const rows = view.getUint32(8, true);
  const features = view.getUint32(12, true);
  const classes = view.getUint32(16, true);
  const code = view.getUint32(20, true);
  let dtype: FeatureDtype = "f32";
  if (version === VERSION_DTYPE) {
    if (code === FEATURE_DTYPES.u8) dtype = "u8";
    else if (code !== FEATURE_DTYPES.f32) throw new Error(`unknown CXDS feature dtype ${code} (0 = f32, 1 = u8)`);
  }
  const n = rows * features;
  const featureBytes = dtype === "u8" ? align4(n) : 4 * n;
  const expected = HEADER_BYTES + featureBytes + 4 * rows;
  if (bytes.byteLength !== expected) throw new Error(`CXDS table is ${bytes.byteLength} bytes, header says ${expected}`);
  let x: Float32Array | Uint8Array;
  if (dtype === "u8") {
    x = bytes.subarray(HEADER_BYTES, HEADER_BYTES + n);
    for (let at = HEADER_BYTES + n; at < HEADER_BYTES + featureBytes; at++) if (bytes[at] !== 0) throw new Error("CXDS u8 features: the padding after them must be zero bytes");
  } else if (LITTLE_ENDIAN && (bytes.byteOffset + HEADER_BYTES) % 4 === 0) {
    // The words are already the little-endian float32s: one copy, no per-value reads.
    x = new Float32Array(bytes.buffer.slice(bytes.byteOffset + HEADER_BYTES, bytes.byteOffset + HEADER_BYTES + 4 * n));
  } else {
    const f = new Float32Array(n);
    for (let i = 0; i < n; i++) f[i] = view.getFloat32(HEADER_BYTES + 4 * i, true);
    x = f;
  }
  const y = new Uint32Array(rows);
  for (let i = 0, at = HEADER_BYTES + featureBytes; i < rows; i++, at += 4) {
    y[i] = view.getUint32(at, true);
    if (y[i]! >= classes) throw new Error(`label ${y[i]} of row ${i} is not below ${classes} classes`);
  }
  return { rows, features, classes, x, y, dtype };
}

/** The bytes → the table, features widened to float32 whatever their stored dtype. */
export function decodeTable(bytes: Uint8Array): Table {
  const t = decodeTableRaw(bytes);
  return { rows: t.rows, features: t.features, classes: t.classes, x: t.x instanceof Float32Array ? t.x : Float32Array.from(t.x), y: t.y };
}

/** Rows `idx` of `t`, in that order. */
export function takeRows(t: Table, idx: ArrayLike<number>): Table {
  const d = t.features;
  const x = new Float32Array(idx.length * d);
  const y = new Uint32Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    x.set(t.x.subarray(i * d, (i + 1) * d), k * d);
    y[k] = t.y[i]!;
  }
  return { rows: idx.length, features: d, classes: t.classes, x, y };
}

/** Per-feature mean and population standard deviation (float64 accumulation). */
export function featureStats(t: Table): { mean: number[]; std: number[] } {
  const d = t.features;
  const mean = new Float64Array(d);
  const m2 = new Float64Array(d);
  // Welford: stable for large n and large values.
  for (let i = 0; i < t.rows; i++) {
    for (let j = 0; j < d; j++) {
      const v = t.x[i * d + j]!;
      const delta = v - mean[j]!;
      mean[j]! += delta / (i + 1);
      m2[j]! += delta * (v - mean[j]!);
    }
  }
  return { mean: Array.from(mean), std: Array.from(m2, (s) => (t.rows > 0 ? Math.sqrt(s / t.rows) : 0)) };
}
