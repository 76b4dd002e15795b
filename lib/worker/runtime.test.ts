import { describe, expect, it } from "vitest";
import { fragmentFlops, initWeights, runFragmentWasm, type MlpSpec } from "@/lib/compute";
import { toyShard } from "@/lib/compute/test-data";
import { encodeTable } from "@/lib/datasets/layout";
import { memoryBlobCache, sha256Hex } from "./blob-cache";
import { wasmBackend } from "./compute";
import { normalisedShard, referenceInference, type InferenceSpec } from "@/lib/protocol";
import { WorkerApiError, WorkerRuntime, type Lease, type WorkerApi } from "./runtime";

// The loop against an in-process coordinator stand-in (the HTTP API is exercised by the worker
// integration test); the compute is the real WASM path.
const spec: MlpSpec = { layers: [6, 8, 3], activation: "tanh" };
const shard = toyShard(50, 6, 3, 11);
const shardBytes = encodeTable({ rows: 50, features: 6, classes: 3, x: shard.features, y: shard.labels as Uint32Array });
const weights = initWeights(spec, 5);
const weightsBytes = new Uint8Array(weights.buffer.slice(0));
const norm = { mean: [0.1, 0, 0, 0, 0, -0.2], std: [1, 2, 0, 1, 1, 0.5] };

async function leaseFor(i: number, steps = 20): Promise<Lease> {
  return {
    slotId: `slot-${i}`, fragmentId: `frag-${i}`, replica: 0, kind: "compute", jobId: "job-00000000", specHash: "0x00", round: 0, shard: i,
    leaseDeadline: new Date(Date.now() + 60_000).toISOString(), leaseSeconds: 60, workUnits: String(fragmentFlops(spec, steps, 4)),
    sign: { chainId: 31337, primaryType: "FragmentResult" },
    inputs: { model: { kind: "mlp", layers: [...spec.layers], activation: spec.activation }, weightsSha256: await sha256Hex(weightsBytes), shardSha256: await sha256Hex(shardBytes), normalisation: norm, steps, batch: 4, lr: 0.1, seed: 100 + i },
  };
}

type Fake = WorkerApi & { submitted: { lease: Lease; delta: Float32Array; loss: number }[]; blobFetches: number; abandoned: string[] };

function fakeApi(leases: Lease[], faults: { claim?: number; submit?: number; refuse?: number } = {}): Fake {
  let claimFaults = faults.claim ?? 0;
  let submitFaults = faults.submit ?? 0;
  let refusals = faults.refuse ?? 0;
  const api: Fake = {
    submitted: [], blobFetches: 0, abandoned: [],
    async claim() {
      if (claimFaults-- > 0) throw new TypeError("fetch failed");
      if (refusals-- > 0) throw new WorkerApiError("node 1 is not active", 403, "node_not_eligible", false);
      return leases.shift() ?? null;
    },
    async heartbeat() {},
    async submit(lease, delta, loss) {
      if (submitFaults-- > 0) throw new WorkerApiError("upstream down", 503, "internal", true);
      api.submitted.push({ lease, delta, loss });
      return { status: "accepted" };
    },
    async blob(sha) {
      api.blobFetches++;
      if (sha === (await sha256Hex(weightsBytes))) return weightsBytes;
      if (sha === (await sha256Hex(shardBytes))) return shardBytes;
      throw new WorkerApiError(`no blob ${sha}`, 404, "not_found", false);
    },
    async abandon(lease) {
      api.abandoned.push(lease.slotId);
    },
  };
  return api;
}

const until = async (cond: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe("WorkerRuntime", () => {
  it("claims, fetches once per hash, computes exactly what runFragmentWasm computes, submits, repeats", async () => {
    const api = fakeApi([await leaseFor(1), await leaseFor(2)]);
    const progress: number[] = [];
    const rt = new WorkerRuntime({ api, backend: wasmBackend(), cache: memoryBlobCache(), idleMs: 5, chunkSteps: 3, onUpdate: (s) => s.current && progress.push(s.current.step) });
    void rt.start();
    await until(() => api.submitted.length === 2);
    await rt.stop();
    expect(api.blobFetches).toBe(2);
    const input = { spec, weights, shard: normalisedShard(shardBytes, norm.mean, norm.std), steps: 20, batch: 4, lr: 0.1 };
    for (const [i, s] of api.submitted.entries()) {
      const ref = await runFragmentWasm({ ...input, seed: 101 + i });
      expect(s.delta).toEqual(ref.delta);
      expect(s.loss).toBeCloseTo(ref.meanLoss, 6);
    }
    expect(progress).toContain(3);
    expect(progress).toContain(20);
    expect(rt.snapshot).toMatchObject({ state: "stopped", fragmentsDone: 2, fragmentsAccepted: 2, fragmentsAbandoned: 0 });
    expect(rt.snapshot.lastGflops).toBeGreaterThan(0);
    expect(rt.snapshot.flopsDone).toBe(2 * fragmentFlops(spec, 20, 4));
  });

  it("retries network failures and 5xx with back-off, recording each error", async () => {
    const api = fakeApi([await leaseFor(1)], { claim: 2, submit: 1 });
    const rt = new WorkerRuntime({ api, backend: wasmBackend(), cache: memoryBlobCache(), idleMs: 5, backoff: { baseMs: 1, maxMs: 4 } });
    void rt.start();
    await until(() => api.submitted.length === 1);
    await rt.stop();
    expect(rt.snapshot.errors.map((e) => [e.during, e.attempt])).toEqual([["claim", 1], ["claim", 2], ["submit", 1]]);
    expect(rt.snapshot.errors[0]!.message).toBe("fetch failed");
    expect(rt.snapshot.errors.every((e) => e.retryInMs !== null && e.retryInMs <= 4)).toBe(true);
  });

  it("a refusal (4xx) is shown and waited out, then work goes on", async () => {
    const api = fakeApi([await leaseFor(1)], { refuse: 1 });
    const rt = new WorkerRuntime({ api, backend: wasmBackend(), cache: memoryBlobCache(), idleMs: 5, backoff: { baseMs: 1, maxMs: 2 } });
    void rt.start();
    await until(() => api.submitted.length === 1);
    await rt.stop();
    expect(rt.snapshot.errors[0]!.message).toBe("node 1 is not active");
  });

  it("pause holds between chunks; stop abandons the leased fragment and ends the loop", async () => {
    const api = fakeApi([await leaseFor(1, 400)]);
    let paused = false;
    const rt: WorkerRuntime = new WorkerRuntime({
      api, backend: wasmBackend(), cache: memoryBlobCache(), idleMs: 5, chunkSteps: 1,
      onUpdate: (s) => {
        if (!paused && s.current && s.current.step >= 2) {
          paused = true;
          rt.pause();
        }
      },
    });
    void rt.start();
    await until(() => rt.snapshot.state === "paused");
    const at = rt.snapshot.current!.step;
    await new Promise((r) => setTimeout(r, 50));
    expect(rt.snapshot.current!.step).toBe(at);
    expect(at).toBeLessThan(400);
    await rt.stop();
    expect(api.abandoned).toEqual(["slot-1"]);
    expect(api.submitted).toHaveLength(0);
    expect(rt.snapshot).toMatchObject({ state: "stopped", fragmentsAbandoned: 1, current: null });
  });

  it("a result the coordinator no longer takes (409 lease_expired) is dropped and work goes on at once", async () => {
    const api = fakeApi([await leaseFor(1), await leaseFor(2)]);
    const submit = api.submit;
    let first = true;
    api.submit = async (lease, delta, loss) => {
      if (first) {
        first = false;
        throw new WorkerApiError("the lease on slot slot-1 expired", 409, "lease_expired", false);
      }
      return submit(lease, delta, loss);
    };
    const rt = new WorkerRuntime({ api, backend: wasmBackend(), cache: memoryBlobCache(), idleMs: 5, backoff: { baseMs: 10_000, maxMs: 10_000 } });
    void rt.start();
    await until(() => api.submitted.length === 1, 5_000);
    await rt.stop();
    expect(api.submitted[0]!.lease.slotId).toBe("slot-2");
    expect(rt.snapshot).toMatchObject({ fragmentsDropped: 1, fragmentsDone: 1 });
    expect(rt.snapshot.errors[0]).toMatchObject({ during: "submit", retryInMs: null });
  });

  it("refuses a blob whose bytes do not match its hash", async () => {
    const lease = await leaseFor(1);
    const api = fakeApi([lease]);
    api.blob = async () => new Uint8Array([1, 2, 3]);
    const rt = new WorkerRuntime({ api, backend: wasmBackend(), cache: memoryBlobCache(), idleMs: 5, backoff: { baseMs: 1, maxMs: 2 } });
    void rt.start();
    await until(() => rt.snapshot.errors.length >= 1);
    await rt.stop();
    expect(rt.snapshot.errors[0]!.message).toMatch(/arrived with sha-256/);
    expect(api.submitted).toHaveLength(0);
  });
  it("retries a heartbeat lost to a connection reset within the beat, and not one the server refused", async () => {
    const lease = { ...(await leaseFor(7)), leaseSeconds: 3 }; // a beat every second
    const beats: string[] = [];
    const answers: (() => never | void)[] = [
      () => { throw new TypeError("fetch failed", { cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }) }); },
      () => undefined,
      () => { throw new WorkerApiError("lease gone", 409, "lease_expired", false); },
    ];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const api = fakeApi([lease]);
    api.heartbeat = async () => {
      const answer = answers[beats.length] ?? (() => undefined);
      beats.push(String(beats.length));
      answer();
    };
    const blob = api.blob.bind(api);
    api.blob = async (sha) => (await held, blob(sha)); // the fragment stays in hand while beats run
    const rt = new WorkerRuntime({ api, backend: wasmBackend(), cache: memoryBlobCache(), idleMs: 5, backoff: { baseMs: 20, maxMs: 40 } });
    void rt.start();
    await until(() => beats.length >= 3, 5_000);
    // Beat 1: reset, retried at once (attempt 2 succeeds) — not a second later at the next beat.
    const [reset, refused] = [rt.snapshot.errors[0]!, rt.snapshot.errors[1]!];
    expect(reset).toMatchObject({ during: "heartbeat", attempt: 1 });
    expect(reset.retryInMs).toBeLessThan(100);
    // Beat 2: a refusal is not retried; the next try is the next beat.
    expect(refused).toMatchObject({ during: "heartbeat", attempt: 1, retryInMs: 1000 });
    expect(beats).toHaveLength(3);
    release();
    await until(() => api.submitted.length === 1);
    await rt.stop();
  });
});

describe("benign worker conflicts", () => {
  it("counts 409 slot_closed and lease_expired as races, other failures as errors", async () => {
    const { isBenign, WorkerApiError: E } = await import("./runtime");
    expect(isBenign(new E("slot 1 is verified", 409, "slot_closed", false))).toBe(true);
    expect(isBenign(new E("lease expired", 409, "lease_expired", false))).toBe(true);
    expect(isBenign(new E("result differs", 409, "result_conflict", false))).toBe(false);
    expect(isBenign(new E("forbidden", 403, "forbidden", false))).toBe(false);
    expect(isBenign(new Error("network"))).toBe(false);
  });
  it("inference: decodes the job's weights and builds its classifier once for all its fragments; results equal the referee's", async () => {
    const compact = encodeTable({ rows: 4, features: 6, classes: 3, x: Float32Array.from({ length: 24 }, (_, i) => (i * 37) % 256), y: new Uint32Array([0, 1, 2, 0]) }, { compact: true });
    const inferenceLease = async (i: number): Promise<Lease> => {
      const l = await leaseFor(i);
      return { ...l, inputs: { ...l.inputs, shardSha256: await sha256Hex(compact), steps: 1, batch: 4, lr: 0, inference: { rows: 4, output: "classes" } } as Lease["inputs"] };
    };
    const api = fakeApi([await inferenceLease(1), await inferenceLease(2), await inferenceLease(3)]);
    const blob = api.blob.bind(api);
    api.blob = async (sha) => (sha === (await sha256Hex(compact)) ? (api.blobFetches++, compact) : blob(sha));
    let built = 0;
    const wasm = wasmBackend();
    const backend = { ...wasm, predictor: async (m: MlpSpec, w: Float32Array) => (built++, (await import("@/lib/compute")).MlpWasmPredictor.create(m, w)) };
    const rt = new WorkerRuntime({ api, backend, cache: memoryBlobCache(), idleMs: 5 });
    void rt.start();
    await until(() => api.submitted.length === 3);
    await rt.stop();
    expect(built).toBe(1);
    expect(api.blobFetches).toBe(2);
    const ref = referenceInference({ kind: "inference", model: { kind: "mlp", ...spec }, dataset: norm, inference: { output: "classes" } } as unknown as InferenceSpec, weights, compact);
    for (const s of api.submitted) expect(s.delta).toEqual(ref);
  });
});
