// The binary layout of datasets and shards (one format for both). Everything little-endian:
//
//   offset  size      field
//   0       4         magic, ASCII "CXDS"
//   4       4         u32 version = 1
//   8       4         u32 rows n
//   12      4         u32 features d
//   16      4         u32 classes c
//   20      4         u32 reserved = 0
//   24      4·n·d     f32 features, row-major: row i, feature j at 24 + 4·(i·d + j); raw values, not normalised
//   24+4nd  4·n       u32 labels, each in [0, c)
//
// Features are stored raw; every worker normalises with the mean and standard deviation recorded in
// the job's spec (lib/datasets/normalisation.ts): x' = (x − mean_j) / (std_j || 1), so all replicas see
// identical inputs.
// The blob's name is the sha-256 of exactly these bytes.

export const MAGIC = 0x53445843; // "CXDS" read as little-endian u32
export const VERSION = 1;
export const HEADER_BYTES = 24;

export type Table = { rows: number; features: number; classes: number; x: Float32Array; y: Uint32Array };

export function encodeTable(t: Table): Uint8Array {
  if (t.x.length !== t.rows * t.features || t.y.length !== t.rows) throw new Error("table shape does not match its arrays");
  const bytes = new Uint8Array(HEADER_BYTES + 4 * t.rows * t.features + 4 * t.rows);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, t.rows, true);
  view.setUint32(12, t.features, true);
  view.setUint32(16, t.classes, true);
  view.setUint32(20, 0, true);
  let at = HEADER_BYTES;
  for (let i = 0; i < t.x.length; i++, at += 4) view.setFloat32(at, t.x[i]!, true);
  for (let i = 0; i < t.y.length; i++, at += 4) view.setUint32(at, t.y[i]!, true);
  return bytes;
}

export function decodeTable(bytes: Uint8Array): Table {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < HEADER_BYTES || view.getUint32(0, true) !== MAGIC) throw new Error("not a CXDS table (bad magic)");
  const version = view.getUint32(4, true);
  if (version !== VERSION) throw new Error(`unsupported CXDS version ${version}`);
  const rows = view.getUint32(8, true);
  const features = view.getUint32(12, true);
  const classes = view.getUint32(16, true);
  const expected = HEADER_BYTES + 4 * rows * features + 4 * rows;
  if (bytes.byteLength !== expected) throw new Error(`CXDS table is ${bytes.byteLength} bytes, header says ${expected}`);
  const x = new Float32Array(rows * features);
  const y = new Uint32Array(rows);
  let at = HEADER_BYTES;
  for (let i = 0; i < x.length; i++, at += 4) x[i] = view.getFloat32(at, true);
  for (let i = 0; i < rows; i++, at += 4) {
    y[i] = view.getUint32(at, true);
    if (y[i]! >= classes) throw new Error(`label ${y[i]} of row ${i} is not below ${classes} classes`);
  }
  return { rows, features, classes, x, y };
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
