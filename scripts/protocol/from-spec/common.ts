// What every from-the-spec check shares, written from docs/protocol alone (prng.md, results.md): no
// lib/ imports, so a drift between the docs and the reference shows up as a failed vector.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

const VECTORS = path.join(process.cwd(), "docs", "protocol", "vectors");
export const load = (name: string) => JSON.parse(readFileSync(path.join(VECTORS, name), "utf8"));
export const f = Math.fround;
export const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
export const lossBits = (x: number) => new Uint32Array(new Float32Array([x]).buffer)[0]!;

// results.md: float32 little-endian
export function f32le(values: ArrayLike<number>): Uint8Array {
  const b = new Uint8Array(values.length * 4);
  const v = new DataView(b.buffer);
  for (let i = 0; i < values.length; i++) v.setFloat32(i * 4, values[i]!, true);
  return b;
}
export function fromF32le(base64: string): Float32Array {
  const b = Buffer.from(base64, "base64");
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return Float32Array.from({ length: b.byteLength / 4 }, (_, i) => v.getFloat32(i * 4, true));
}

// prng.md
export function mix32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}
const GOLDEN = 0x9e3779b9;
const add32 = (a: number, b: number) => (a + b) >>> 0;
export function hash32(seed: number, stream: number, counter: number): number {
  let h = mix32(add32(seed, GOLDEN));
  h = mix32(add32((h ^ stream) >>> 0, GOLDEN));
  return mix32(add32((h ^ counter) >>> 0, GOLDEN));
}
export const uniformBelow = (u: number, n: number) => Number((BigInt(u) * BigInt(n)) >> 32n);
export const fragmentSeed = (jobSeed: number, r: number, s: number) => hash32(jobSeed, r, s);
/** The first `total` positions of the stream of Fisher–Yates passes over [0, n). */
export function batchIndices(seed: number, n: number, total: number): number[] {
  const out: number[] = [];
  let perm: number[] = [];
  for (let t = 0; t < total; t++) {
    const e = Math.floor(t / n);
    if (t === e * n) {
      perm = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i >= 1; i--) {
        const j = uniformBelow(hash32(seed, e, i), i + 1);
        [perm[i], perm[j]] = [perm[j]!, perm[i]!];
      }
    }
    out.push(perm[t - e * n]!);
  }
  return out;
}
