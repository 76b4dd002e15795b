// `npm run protocol:vectors [-- --check]`: writes the worker protocol's test vectors (docs/protocol/vectors/*.json)
// from the reference implementation. `--check` exits 1 when a committed file differs from what the code
// computes now; scripts/protocol/vectors.test.ts recomputes every vector from the JSON inputs, so the spec
// in docs/protocol and the code cannot drift apart.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import { hashTypedData } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  batchIndices,
  fragmentSeed,
  hash32,
  initGptWeights,
  initWeights,
  mix32,
  outerStep,
  runFragmentReference,
  runGptFragmentReference,
  uniformBelow,
  type GptSpec,
  type MlpSpec,
} from "@/lib/compute";
import { encodeTable, encodeTokenShard } from "@/lib/datasets/client";
import { delegationTypes } from "@/lib/auth/client";
import { canonicalSpecJson, specHashOf, type Json } from "@/lib/jobs/client";
import { encodeFloat32, lossBits, normalisedShard, resultDomain, resultTypes, workerAuthTypes } from "@/lib/protocol";

export const VECTORS_DIR = path.join(process.cwd(), "docs", "protocol", "vectors");

const hex = (b: Uint8Array) => bytesToHex(sha256(b));
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

/** A float32 array as the vectors carry it: little-endian bytes in base64, their sha-256 and the count. */
export type F32 = { count: number; sha256: string; f32leBase64: string };
export function f32(values: Float32Array): F32 {
  const bytes = encodeFloat32(values);
  return { count: values.length, sha256: hex(bytes), f32leBase64: b64(bytes) };
}

/** Deterministic pseudo-random float32 values in (−scale, scale): hash32(seed, stream, i). */
function noise(n: number, seed: number, stream: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = ((hash32(seed, stream, i) / 4294967296) * 2 - 1) * scale;
  return out;
}

function prngVectors() {
  const mixIn = [0, 1, 2, 0x9e3779b9, 0x7fffffff, 0x80000000, 0xdeadbeef, 0xffffffff];
  const hashIn: [number, number, number][] = [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [42, 3, 7], [0xffffffff, 0xffffffff, 0xffffffff], [123456789, 17, 1000]];
  const below: [number, number][] = [[0, 10], [0xffffffff, 10], [0x80000000, 3], [hash32(7, 0, 5), 6], [hash32(7, 1, 9), 2_097_152]];
  const seeds: [number, number, number][] = [[0, 0, 0], [42, 0, 0], [42, 3, 2], [0xffffffff, 1, 7], [2024, 12, 31]];
  const orders: { seed: number; n: number; steps: number; batch: number }[] = [
    { seed: 0, n: 1, steps: 2, batch: 3 },
    { seed: 42, n: 10, steps: 4, batch: 3 },
    { seed: 7, n: 5, steps: 3, batch: 4 },
    { seed: fragmentSeed(42, 3, 2), n: 64, steps: 5, batch: 16 },
    { seed: 0xffffffff, n: 3, steps: 3, batch: 5 },
  ];
  return {
    description: "mix32 (lowbias32), hash32, uniformBelow, fragmentSeed and batchIndices. All inputs and outputs are unsigned 32-bit integers.",
    mix32: mixIn.map((x) => ({ x, out: mix32(x) })),
    hash32: hashIn.map(([seed, stream, counter]) => ({ seed, stream, counter, out: hash32(seed, stream, counter) })),
    uniformBelow: below.map(([u, n]) => ({ u, n, out: uniformBelow(u, n) })),
    fragmentSeed: seeds.map(([jobSeed, round, shard]) => ({ jobSeed, round, shard, out: fragmentSeed(jobSeed, round, shard) })),
    batchIndices: orders.map((o) => ({ ...o, indices: Array.from(batchIndices(o.seed, o.n, o.steps, o.batch)) })),
  };
}

const MLP_INIT: { spec: MlpSpec; seed: number }[] = [
  { spec: { layers: [4, 8, 3], activation: "relu" }, seed: 42 },
  { spec: { layers: [5, 7, 6, 3], activation: "tanh" }, seed: 7 },
  { spec: { layers: [784, 64, 10], activation: "relu" }, seed: 20240601 },
];
const GPT_SMALL: GptSpec = { kind: "gpt", layers: 2, heads: 2, dim: 8, context: 6, vocab: 11, tied: true };
const GPT_INIT: { spec: GptSpec; seed: number }[] = [
  { spec: GPT_SMALL, seed: 42 },
  { spec: { kind: "gpt", layers: 4, heads: 4, dim: 64, context: 64, vocab: 96, tied: true }, seed: 1234 },
];

function initVectors() {
  const head = (w: Float32Array) => Array.from(w.subarray(0, 8));
  return {
    description: "initWeights (MLP) and initGptWeights (GPT): sha-256 of the float32 little-endian bytes, the parameter count and the first values.",
    mlp: MLP_INIT.map(({ spec, seed }) => {
      const w = initWeights(spec, seed);
      return { model: { kind: "mlp", ...spec }, seed, count: w.length, sha256: hex(encodeFloat32(w)), head: head(w) };
    }),
    gpt: GPT_INIT.map(({ spec, seed }) => {
      const w = initGptWeights(spec, seed);
      return { model: spec, seed, count: w.length, sha256: hex(encodeFloat32(w)), head: head(w) };
    }),
  };
}

/** A raw table (features k/16, exact in float32), its CXDS blob and the job's per-feature statistics. */
function mlpTable(rows: number, features: number, classes: number, seed: number) {
  const x: number[][] = [];
  const y: number[] = [];
  for (let r = 0; r < rows; r++) {
    const label = hash32(seed, 1, r) % classes;
    y.push(label);
    x.push(Array.from({ length: features }, (_, c) => (Math.floor((hash32(seed, 2, r * features + c) / 4294967296) * 64) - 20 + 8 * label * ((c % 2) * 2 - 1)) / 16));
  }
  const flat = new Float32Array(x.flat());
  const mean = Array.from({ length: features }, (_, c) => x.reduce((s, row) => s + row[c]!, 0) / rows);
  const std = Array.from({ length: features }, (_, c) => Math.sqrt(x.reduce((s, row) => s + (row[c]! - mean[c]!) ** 2, 0) / rows));
  const blob = encodeTable({ rows, features, classes, x: flat, y: new Uint32Array(y) });
  return { x, y, mean, std, blob };
}

type MlpCase = { name: string; spec: MlpSpec; rows: number; dataSeed: number; initSeed: number; perturb: boolean; jobSeed: number; round: number; shard: number; steps: number; batch: number; lr: number };
const MLP_CASES: MlpCase[] = [
  { name: "mlp-relu", spec: { layers: [4, 8, 3], activation: "relu" }, rows: 10, dataSeed: 1, initSeed: 42, perturb: false, jobSeed: 42, round: 0, shard: 1, steps: 6, batch: 4, lr: 0.1 },
  { name: "mlp-tanh", spec: { layers: [5, 7, 6, 3], activation: "tanh" }, rows: 13, dataSeed: 2, initSeed: 7, perturb: true, jobSeed: 7, round: 3, shard: 2, steps: 5, batch: 5, lr: 0.05 },
  { name: "mlp-batch-over-rows", spec: { layers: [3, 5, 4], activation: "relu" }, rows: 3, dataSeed: 3, initSeed: 9, perturb: true, jobSeed: 9, round: 1, shard: 0, steps: 4, batch: 4, lr: 0.2 },
];

/** W_r of a case: initWeights, or (perturb) initWeights + fround(noise) so the biases are not 0 at step 1. */
function caseWeights(init: Float32Array, perturb: boolean, seed: number): Float32Array {
  if (!perturb) return init;
  return init.map((v, i) => Math.fround(v + ((hash32(seed, 99, i) / 4294967296) * 2 - 1) * 0.05));
}

function fragmentExpect(result: { delta: Float32Array; meanLoss: number; stepLosses: Float32Array }, order: Uint32Array, batch: number) {
  const steps = result.stepLosses.length;
  return {
    deltaSha256: hex(encodeFloat32(result.delta)),
    deltaHead: Array.from(result.delta.subarray(0, 8)),
    meanLoss: result.meanLoss,
    lossHeader: String(Math.fround(result.meanLoss)),
    lossBits: lossBits(result.meanLoss),
    stepLossBits: Array.from(result.stepLosses, (l) => lossBits(l)),
    firstBatches: Array.from({ length: Math.min(3, steps) }, (_, t) => Array.from(order.subarray(t * batch, (t + 1) * batch))),
    delta: f32(result.delta),
  };
}

function mlpFragmentVectors() {
  return {
    description: "MLP fragments (plain SGD). Inputs as the claim response and blobs give them; expected outputs of the reference (bit-exact).",
    cases: MLP_CASES.map((c) => {
      const classes = c.spec.layers[c.spec.layers.length - 1]!;
      const t = mlpTable(c.rows, c.spec.layers[0]!, classes, c.dataSeed);
      const init = initWeights(c.spec, c.initSeed);
      const weights = caseWeights(init, c.perturb, c.initSeed);
      const seed = fragmentSeed(c.jobSeed, c.round, c.shard);
      const shard = normalisedShard(t.blob, t.mean, t.std);
      const result = runFragmentReference({ spec: c.spec, weights, shard, steps: c.steps, batch: c.batch, lr: c.lr, seed });
      return {
        name: c.name,
        inputs: {
          model: { kind: "mlp", ...c.spec },
          weights: { initSeed: c.initSeed, perturbed: c.perturb, built: c.perturb ? `initWeights(model, ${c.initSeed}) then w[i] = fround(w[i] + ((hash32(${c.initSeed}, 99, i) / 2^32) * 2 − 1) * 0.05) (computed in float64, rounded once)` : `initWeights(model, ${c.initSeed})`, ...f32(weights) },
          shard: { rows: t.x, labels: t.y, classes, cxdsSha256: hex(t.blob), cxdsBase64: b64(t.blob), normalisedFeatures: f32(shard.features) },
          normalisation: { mean: t.mean, std: t.std },
          jobSeed: c.jobSeed, round: c.round, shardIndex: c.shard, seed,
          steps: c.steps, batch: c.batch, lr: c.lr,
        },
        expected: fragmentExpect(result, batchIndices(seed, c.rows, c.steps, c.batch), c.batch),
      };
    }),
  };
}

type GptCase = { name: string; spec: GptSpec; rows: number; dataSeed: number; initSeed: number; jobSeed: number; round: number; shard: number; steps: number; batch: number; lr: number };
const GPT_CASES: GptCase[] = [
  { name: "gpt-2x2x8", spec: GPT_SMALL, rows: 9, dataSeed: 5, initSeed: 42, jobSeed: 42, round: 0, shard: 0, steps: 3, batch: 3, lr: 0.01 },
  { name: "gpt-1x1x4", spec: { kind: "gpt", layers: 1, heads: 1, dim: 4, context: 3, vocab: 5, tied: true }, rows: 4, dataSeed: 6, initSeed: 3, jobSeed: 3, round: 2, shard: 1, steps: 4, batch: 2, lr: 0.05 },
];

function gptFragmentVectors() {
  return {
    description: "GPT fragments (AdamW, fresh moments, clip at global norm 1). Inputs as the claim response and blobs give them; expected outputs of the reference (bit-exact).",
    cases: GPT_CASES.map((c) => {
      const width = c.spec.context + 1;
      const windows = Array.from({ length: c.rows }, (_, r) => Array.from({ length: width }, (_, j) => hash32(c.dataSeed, r, j) % c.spec.vocab));
      const tokens = new Uint32Array(windows.flat());
      const blob = encodeTokenShard({ tokens, rows: c.rows, width }, c.spec.vocab);
      const weights = initGptWeights(c.spec, c.initSeed);
      const seed = fragmentSeed(c.jobSeed, c.round, c.shard);
      const result = runGptFragmentReference({ spec: c.spec, weights, shard: { tokens }, steps: c.steps, batch: c.batch, lr: c.lr, seed });
      return {
        name: c.name,
        inputs: {
          model: c.spec,
          weights: { initSeed: c.initSeed, built: `initGptWeights(model, ${c.initSeed})`, ...f32(weights) },
          shard: { width, vocabularySize: c.spec.vocab, windows, cxtkSha256: hex(blob), cxtkBase64: b64(blob) },
          jobSeed: c.jobSeed, round: c.round, shardIndex: c.shard, seed,
          steps: c.steps, batch: c.batch, lr: c.lr,
        },
        expected: fragmentExpect(result, batchIndices(seed, c.rows, c.steps, c.batch), c.batch),
      };
    }),
  };
}

function outerVectors() {
  const w0 = initWeights({ layers: [3, 4, 2], activation: "tanh" }, 11);
  const deltas = (round: number, k: number) => Array.from({ length: k }, (_, s) => noise(w0.length, 1000 + round, s, 0.01));
  const cases: unknown[] = [];
  const run = (name: string, lr: number, momentum: number, rounds: number, k: number) => {
    let w = w0;
    let velocity: Float32Array | undefined;
    const steps = [];
    for (let r = 0; r < rounds; r++) {
      const ds = deltas(r, k);
      const next = outerStep(w, ds, { lr, momentum }, velocity ? { velocity } : undefined);
      steps.push({ round: r, weights: f32(w), velocity: velocity ? f32(velocity) : null, deltasInShardOrder: ds.map(f32), expected: { weights: f32(next.weights), velocity: f32(next.state.velocity) } });
      w = next.weights;
      velocity = next.state.velocity;
    }
    cases.push({ name, outerLearningRate: lr, outerMomentum: momentum, steps });
  };
  run("nesterov", 0.7, 0.9, 3, 3);
  run("fedavg", 1, 0, 1, 4);
  run("odd-constants", 0.3, 0.45, 2, 5);
  return { description: "The outer step (outerStep): per round W_r, the optimizer state (velocity, null before the first round) and the accepted deltas sorted by shard → W_{r+1} and the new velocity.", cases };
}

// Anvil's first development key: public on purpose (never use it on a real chain).
const TEST_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

async function eip712Vectors() {
  const account = privateKeyToAccount(TEST_KEY);
  const chainId = 31337;
  const domain = resultDomain(chainId);
  const items = [
    { primaryType: "WorkerAuth" as const, types: workerAuthTypes, message: { nodeId: 7n, expiresAt: 1_767_225_600n } },
    {
      primaryType: "FragmentResult" as const, types: resultTypes,
      message: {
        fragmentId: "0b7f3c1e-2a4d-4e8f-9c6b-1d2e3f4a5b6c", replica: 1, nodeId: 7n, specHash: `0x${"ab".repeat(32)}` as `0x${string}`, round: 3,
        deltaSha256: `0x${"cd".repeat(32)}` as `0x${string}`, lossBits: lossBits(1.0986123),
      },
    },
    { primaryType: "SessionKeyDelegation" as const, types: delegationTypes, message: { sessionKey: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as `0x${string}`, nodeId: 7n, expiresAt: 1_767_225_600n } },
  ];
  const out = [];
  for (const it of items) {
    const typed = { domain, types: it.types, primaryType: it.primaryType, message: it.message } as Parameters<typeof hashTypedData>[0];
    out.push({
      primaryType: it.primaryType, types: it.types,
      message: JSON.parse(JSON.stringify(it.message, (_, v) => (typeof v === "bigint" ? v.toString() : v))) as unknown,
      digest: hashTypedData(typed), signature: await account.signTypedData(typed as never),
    });
  }
  return { description: "EIP-712 digests and signatures (secp256k1, RFC 6979) by the public Anvil test key #0.", domain, signer: account.address, privateKey: TEST_KEY, items: out };
}

function specHashVector() {
  const spec = {
    version: 1, chainId: 31337,
    dataset: { name: "iris", sha256: "ab".repeat(32), rows: 150, features: 4, classes: 3, normalisation: "per-feature", mean: [5.843333333333334, 3.0573333333333337, 3.7580000000000005, 1.1993333333333336], std: [0.8253012917851409, 0.4344109677354946, 1.759404065775303, 0.7596926279021594] },
    shards: [{ sha256: "cd".repeat(32), rows: 60 }, { sha256: "ef".repeat(32), rows: 60 }], heldOut: { sha256: "01".repeat(32), rows: 30 },
    model: { kind: "mlp", layers: [4, 16, 3], activation: "relu" },
    hyper: { rounds: 5, shards: 2, localSteps: 20, batch: 16, learningRate: 0.1, outerLearningRate: 0.7, outerMomentum: 0.9, seed: 42 },
    redundancy: 2, spotCheckRate: 0.1, minTier: 0, fee: "1000000000000000000", salt: "0x1234",
  } satisfies Json;
  return { description: "specHash = keccak256(UTF-8(canonicalSpecJson(spec))).", spec, canonical: canonicalSpecJson(spec), specHash: specHashOf(spec) };
}

/** Every vector file, by file name. */
export async function buildVectors(): Promise<Record<string, unknown>> {
  return {
    "prng.json": prngVectors(),
    "init.json": initVectors(),
    "fragment-mlp.json": mlpFragmentVectors(),
    "fragment-gpt.json": gptFragmentVectors(),
    "outer.json": outerVectors(),
    "eip712.json": await eip712Vectors(),
    "spec-hash.json": specHashVector(),
  };
}

export const render = (v: unknown) => `${JSON.stringify(v, null, 1)}\n`;

async function main(): Promise<number> {
  const files = await buildVectors();
  const check = process.argv.includes("--check");
  let stale = 0;
  if (!check) await mkdir(VECTORS_DIR, { recursive: true });
  for (const [name, v] of Object.entries(files)) {
    const file = path.join(VECTORS_DIR, name);
    if (check) {
      if ((await readFile(file, "utf8").catch(() => "")) !== render(v)) {
        console.error(`${path.relative(process.cwd(), file)} is stale: run \`npm run protocol:vectors\``);
        stale++;
      }
    } else {
      await writeFile(file, render(v));
      console.log(`wrote ${path.relative(process.cwd(), file)}`);
    }
  }
  return stale ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => process.exit(code), (e: unknown) => {
    console.error(e);
    process.exit(2);
  });
}
