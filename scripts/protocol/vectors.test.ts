// The committed test vectors (docs/protocol/vectors) recomputed from their JSON inputs with the reference
// (and the WASM path, which must match it bit for bit): the spec's numbers and the code cannot drift.
import { readFileSync } from "node:fs";
import path from "node:path";
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import { hashTypedData, recoverTypedDataAddress } from "viem";
import { describe, expect, it } from "vitest";
import {
  batchIndices, fragmentSeed, hash32, initGptWeights, initWeights, mix32, outerStep, runFragmentReference, runFragmentWasm,
  runGptFragmentReference, runGptFragmentWasm, uniformBelow, type GptSpec, type MlpSpec,
} from "@/lib/compute";
import { canonicalSpecJson, specHashOf, type Json } from "@/lib/jobs/client";
import { decodeFloat32, encodeFloat32, lossBits, normalisedShard, tokenShard } from "@/lib/protocol";
import { buildVectors, render, VECTORS_DIR, type F32 } from "./vectors";

const load = (name: string) => JSON.parse(readFileSync(path.join(VECTORS_DIR, name), "utf8"));
const hex = (b: Uint8Array) => bytesToHex(sha256(b));
const fromF32 = (v: F32) => {
  const bytes = new Uint8Array(Buffer.from(v.f32leBase64, "base64"));
  expect(hex(bytes)).toBe(v.sha256);
  return decodeFloat32(bytes);
};
const shaOf = (w: Float32Array) => hex(encodeFloat32(w));

describe("protocol test vectors", () => {
  it("are what npm run protocol:vectors writes now (npm run protocol:vectors -- --check)", async () => {
    const files = await buildVectors();
    for (const [name, v] of Object.entries(files)) expect(readFileSync(path.join(VECTORS_DIR, name), "utf8"), name).toBe(render(v));
  });

  it("prng.json: mix32, hash32, uniformBelow, fragmentSeed, batchIndices", () => {
    const v = load("prng.json");
    for (const c of v.mix32) expect(mix32(c.x)).toBe(c.out);
    for (const c of v.hash32) expect(hash32(c.seed, c.stream, c.counter)).toBe(c.out);
    for (const c of v.uniformBelow) expect(uniformBelow(c.u, c.n)).toBe(c.out);
    for (const c of v.fragmentSeed) expect(fragmentSeed(c.jobSeed, c.round, c.shard)).toBe(c.out);
    for (const c of v.batchIndices) expect(Array.from(batchIndices(c.seed, c.n, c.steps, c.batch))).toEqual(c.indices);
  });

  it("init.json: initWeights and initGptWeights", () => {
    const v = load("init.json");
    for (const c of v.mlp) {
      const w = initWeights({ layers: c.model.layers, activation: c.model.activation }, c.seed);
      expect([w.length, shaOf(w)]).toEqual([c.count, c.sha256]);
      expect(Array.from(w.subarray(0, 8))).toEqual(c.head);
    }
    for (const c of v.gpt) {
      const w = initGptWeights(c.model as GptSpec, c.seed);
      expect([w.length, shaOf(w)]).toEqual([c.count, c.sha256]);
    }
  });

  it("fragment-mlp.json: the reference and WASM reproduce every delta and loss from the inputs", async () => {
    for (const c of load("fragment-mlp.json").cases) {
      const i = c.inputs;
      const spec: MlpSpec = { layers: i.model.layers, activation: i.model.activation };
      const blob = new Uint8Array(Buffer.from(i.shard.cxdsBase64, "base64"));
      expect(hex(blob)).toBe(i.shard.cxdsSha256);
      const shard = normalisedShard(blob, i.normalisation.mean, i.normalisation.std);
      expect(shaOf(shard.features)).toBe(i.shard.normalisedFeatures.sha256);
      expect(Array.from(shard.labels)).toEqual(i.shard.labels);
      expect(fragmentSeed(i.jobSeed, i.round, i.shardIndex)).toBe(i.seed);
      const seed = i.weights.initSeed;
      const wr = initWeights(spec, seed).map((w, k) => (i.weights.perturbed ? Math.fround(w + ((hash32(seed, 99, k) / 4294967296) * 2 - 1) * 0.05) : w));
      expect(shaOf(wr)).toBe(i.weights.sha256);
      const input = { spec, weights: fromF32(i.weights), shard, steps: i.steps, batch: i.batch, lr: i.lr, seed: i.seed };
      for (const r of [runFragmentReference(input), await runFragmentWasm(input)]) {
        expect(shaOf(r.delta), c.name).toBe(c.expected.deltaSha256);
        expect(r.meanLoss).toBe(c.expected.meanLoss);
        expect(lossBits(r.meanLoss)).toBe(c.expected.lossBits);
        expect(Array.from(r.stepLosses, lossBits)).toEqual(c.expected.stepLossBits);
      }
      expect(String(Math.fround(c.expected.meanLoss))).toBe(c.expected.lossHeader);
    }
  });

  it("fragment-gpt.json: the reference and WASM reproduce every delta and loss from the inputs", async () => {
    for (const c of load("fragment-gpt.json").cases) {
      const i = c.inputs;
      const spec = i.model as GptSpec;
      const blob = new Uint8Array(Buffer.from(i.shard.cxtkBase64, "base64"));
      expect(hex(blob)).toBe(i.shard.cxtkSha256);
      const shard = tokenShard(blob, spec);
      expect(Array.from(shard.tokens)).toEqual(i.shard.windows.flat());
      const weights = fromF32(i.weights);
      expect(shaOf(initGptWeights(spec, i.weights.initSeed))).toBe(i.weights.sha256);
      const input = { spec, weights, shard, steps: i.steps, batch: i.batch, lr: i.lr, seed: i.seed };
      for (const r of [runGptFragmentReference(input), await runGptFragmentWasm(input)]) {
        expect(shaOf(r.delta), c.name).toBe(c.expected.deltaSha256);
        expect(lossBits(r.meanLoss)).toBe(c.expected.lossBits);
        expect(Array.from(r.stepLosses, lossBits)).toEqual(c.expected.stepLossBits);
      }
    }
  });

  it("outer.json: outerStep reproduces W_{r+1} and the velocity, hash for hash", () => {
    for (const c of load("outer.json").cases) {
      for (const s of c.steps) {
        const state = s.velocity ? { velocity: fromF32(s.velocity) } : undefined;
        const next = outerStep(fromF32(s.weights), s.deltasInShardOrder.map(fromF32), { lr: c.outerLearningRate, momentum: c.outerMomentum }, state);
        expect(shaOf(next.weights), `${c.name} round ${s.round}`).toBe(s.expected.weights.sha256);
        expect(shaOf(next.state.velocity)).toBe(s.expected.velocity.sha256);
      }
    }
  });

  it("eip712.json: digests and signatures recover to the test signer", async () => {
    const v = load("eip712.json");
    for (const it of v.items) {
      const message = Object.fromEntries(Object.entries(it.message).map(([k, x]) => [k, ["nodeId", "expiresAt"].includes(k) ? BigInt(x as string) : x]));
      const typed = { domain: v.domain, types: it.types, primaryType: it.primaryType, message } as Parameters<typeof hashTypedData>[0];
      expect(hashTypedData(typed)).toBe(it.digest);
      expect(await recoverTypedDataAddress({ ...typed, signature: it.signature } as never)).toBe(v.signer);
    }
  });

  it("spec-hash.json: canonical JSON and keccak-256", () => {
    const v = load("spec-hash.json");
    expect(canonicalSpecJson(v.spec as Json)).toBe(v.canonical);
    expect(specHashOf(v.spec as Json)).toBe(v.specHash);
  });
});
