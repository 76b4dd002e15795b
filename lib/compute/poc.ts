import { hash32 } from "./prng";

/**
 * Compute-PoC (docs/concepts/compute.md → Compute-PoC): a node proves capacity by computing C = A·B for seeded n×n u32 matrices with
 * wrapping (mod 2^32) arithmetic — exact on every device. The coordinator checks C with Freivalds'
 * algorithm: for a random r ∈ {0,1}^n, A(Br) = Cr holds for every r when C = AB, and fails with
 * probability ≥ 1/2 when C ≠ AB (over any ring: for a non-zero row d of AB − C with d_j ≠ 0, at most one
 * of r_j ∈ {0, 1} can make d·r vanish). 21 independent rounds give a false accept below 2^-20; each round
 * costs three matrix–vector products, O(n²).
 */

export type PocChallenge = { seed: number; n: number };

export const POC_MAX_N = 4096;
export const FREIVALDS_ROUNDS = 21;

/** A[i][j] = hash32(seed, 0, i·n + j), B[i][j] = hash32(seed, 1, i·n + j). */
export function pocMatrices({ seed, n }: PocChallenge): { a: Uint32Array; b: Uint32Array } {
  if (!Number.isInteger(n) || n < 1 || n > POC_MAX_N) throw new RangeError(`n must be an integer in [1, ${POC_MAX_N}], got ${n}`);
  const a = new Uint32Array(n * n);
  const b = new Uint32Array(n * n);
  for (let i = 0; i < n * n; i++) {
    a[i] = hash32(seed >>> 0, 0, i);
    b[i] = hash32(seed >>> 0, 1, i);
  }
  return { a, b };
}

/** C = A·B mod 2^32 (the CPU reference). */
export function pocProductCpu(a: Uint32Array, b: Uint32Array, n: number): Uint32Array {
  const c = new Uint32Array(n * n);
  const row = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    row.fill(0);
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      const bk = k * n;
      for (let j = 0; j < n; j++) row[j] = row[j] + Math.imul(aik, b[bk + j]);
    }
    c.set(row, i * n);
  }
  return c;
}

/** Integer operations of the product (n³ multiplies + n³ adds) — the throughput numerator. */
export function pocOps(n: number): number {
  return 2 * n * n * n;
}

function matVec(m: Uint32Array, v: Uint32Array, n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s = (s + Math.imul(m[i * n + j], v[j])) >>> 0;
    out[i] = s;
  }
  return out;
}

export type FreivaldsOptions = { rounds?: number; randomBits?: (n: number) => Uint8Array };

function cryptoBits(n: number): Uint8Array {
  const bytes = new Uint8Array(n);
  globalThis.crypto.getRandomValues(bytes);
  return bytes.map((x) => x & 1);
}

/**
 * Checks a claimed product for the challenge. The random vectors must be unpredictable to the prover, so
 * they come from the Web Crypto API unless a test supplies its own.
 */
export function verifyPocProduct(challenge: PocChallenge, c: Uint32Array, opts: FreivaldsOptions = {}): { ok: boolean; rounds: number } {
  const { n } = challenge;
  if (c.length !== n * n) return { ok: false, rounds: 0 };
  const { a, b } = pocMatrices(challenge);
  const rounds = opts.rounds ?? FREIVALDS_ROUNDS;
  const bits = opts.randomBits ?? cryptoBits;
  for (let round = 1; round <= rounds; round++) {
    const r = Uint32Array.from(bits(n));
    const abr = matVec(a, matVec(b, r, n), n);
    const cr = matVec(c, r, n);
    for (let i = 0; i < n; i++) if (abr[i] !== cr[i]) return { ok: false, rounds: round };
  }
  return { ok: true, rounds };
}

/** The product on WebGPU: 16×16 tiles through workgroup memory; u32 arithmetic wraps in WGSL, so it is exact. */
export const pocMatmulWgsl = `struct Params { n: u32, _a: u32, _b: u32, _c: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<u32>;
@group(0) @binding(2) var<storage, read> b: array<u32>;
@group(0) @binding(3) var<storage, read_write> c: array<u32>;
var<workgroup> tA: array<array<u32, 16>, 16>;
var<workgroup> tB: array<array<u32, 16>, 16>;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) l: vec3u) {
  let row = wg.y * 16u + l.y;
  let col = wg.x * 16u + l.x;
  var acc = 0u;
  for (var t = 0u; t < (p.n + 15u) / 16u; t++) {
    let ka = t * 16u + l.x;
    var va = 0u;
    if (row < p.n && ka < p.n) { va = a[row * p.n + ka]; }
    tA[l.y][l.x] = va;
    let kb = t * 16u + l.y;
    var vb = 0u;
    if (kb < p.n && col < p.n) { vb = b[kb * p.n + col]; }
    tB[l.y][l.x] = vb;
    workgroupBarrier();
    for (var k = 0u; k < 16u; k++) { acc = acc + tA[l.y][k] * tB[k][l.x]; }
    workgroupBarrier();
  }
  if (row < p.n && col < p.n) { c[row * p.n + col] = acc; }
}
`;
