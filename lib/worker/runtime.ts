// The worker loop shared by the browser page and the CLI: claim → fetch inputs (cached by hash) →
// compute → sign → submit, heartbeating the lease meanwhile; transient failures are retried with
// exponential back-off; stop() abandons the current lease (the coordinator re-leases it).
import type { FragmentInput, MlpSpec } from "@/lib/compute";
import { decodeFloat32, decodePromptShard, gptOf, normalisedShard, tokenShard, type ClaimedSlot, type ResultResponse } from "@/lib/protocol";
import { cachedBlob, type BlobCache } from "./blob-cache";
import { AbortedError, createPredictor, runFragment, runGptFragment, runGptInference, runInference, type ComputeBackend, type DeviceInfo, type Predictor, type RunOptions } from "./compute";

/** A leased replica slot with its fragment's inputs: the fragments API's ClaimedSlot, as lib/protocol defines it. */
export type Lease = ClaimedSlot;

/** What the loop reads of a result receipt (lib/protocol's ResultResponse; `duplicate` may be left out by stand-ins). */
export type SubmitReceipt = Pick<ResultResponse, "status"> & Partial<Pick<ResultResponse, "duplicate" | "resultId">>;

/** What the loop needs from the coordinator; `lib/worker/http-api.ts` speaks HTTP, tests may use another. */
export type WorkerApi = {
  claim(): Promise<Lease | null>;
  heartbeat(lease: Lease): Promise<void>;
  /** signs and submits the delta and loss */
  submit(lease: Lease, delta: Float32Array, meanLoss: number): Promise<SubmitReceipt>;
  blob(sha256: string): Promise<Uint8Array>;
  /** gives the lease back early, when the coordinator supports it (else it expires) */
  abandon?(lease: Lease): Promise<void>;
};

/** An API answer: `retryable` for network failures, 5xx and 429; others are the request's fault. */
export class WorkerApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string | null,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "WorkerApiError";
  }
}

export type WorkerState = "idle" | "claiming" | "fetching" | "computing" | "submitting" | "waiting" | "backing-off" | "paused" | "stopping" | "stopped";

/** `benign`: an expected race, not a fault (another replica settled the fragment first: 409 slot_closed). */
export type WorkerError = { at: number; during: string; message: string; attempt: number; retryInMs: number | null; benign?: boolean };

/** Conflicts that only mean the network moved on without this result: shown as notes, not errors. */
export const BENIGN_CODES = new Set(["slot_closed", "lease_expired"]);
export const isBenign = (e: unknown) => e instanceof WorkerApiError && e.status === 409 && e.code !== null && BENIGN_CODES.has(e.code);

export type WorkerSnapshot = {
  state: WorkerState;
  device: DeviceInfo;
  throttle: number;
  fragmentsDone: number;
  fragmentsAccepted: number;
  fragmentsRejected: number;
  fragmentsAbandoned: number;
  /** results the coordinator would not take any more (lease expired, slot closed) */
  fragmentsDropped: number;
  /** work units (FLOPs) of the fragments submitted */
  flopsDone: number;
  current: { slotId: string; jobId: string; round: number; shard: number; step: number; steps: number } | null;
  /** FLOP/s of the last fragment's compute time (without throttle pauses) */
  lastGflops: number | null;
  lastLoss: number | null;
  errors: WorkerError[];
  /** while `waiting` (no work available): when the next claim is tried (epoch ms) */
  retryAt?: number;
  /** the receipts of the last submitted results (their status moves on with verification: the UI polls it) */
  results: { resultId: string; status: SubmitReceipt["status"] }[];
};

export type WorkerOptions = {
  api: WorkerApi;
  backend: ComputeBackend;
  cache: BlobCache;
  throttle?: number;
  /** wait when there is nothing to claim */
  idleMs?: number;
  backoff?: { baseMs: number; maxMs: number };
  chunkSteps?: number;
  onUpdate?: (s: WorkerSnapshot) => void;
  log?: (line: string) => void;
};

const MAX_ERRORS = 20;
const ms = (t: number) => `${Math.round(t)} ms`;
const MAX_RESULTS = 500;

export class WorkerRuntime {
  private snap: WorkerSnapshot;
  private paused = false;
  private resumeWaiters: (() => void)[] = [];
  private abort = new AbortController();
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /**
   * Inputs decoded once and kept across fragments, by content hash: the weights (every fragment of a
   * round shares W_r, every fragment of an inference job the model's W) and the classifier built on
   * them. A hit skips the blob cache, its re-hash and the decoding: the bytes were checked against this
   * hash when they arrived. One of each: a worker runs one job's fragments at a time, mostly.
   */
  private weightsMemo: { sha256: string; weights: Float32Array } | null = null;
  private predictorMemo: { key: string; predictor: Promise<Predictor> } | null = null;

  constructor(private readonly o: WorkerOptions) {
    this.snap = {
      state: "idle", device: o.backend.device, throttle: o.throttle ?? 1,
      fragmentsDone: 0, fragmentsAccepted: 0, fragmentsRejected: 0, fragmentsAbandoned: 0, fragmentsDropped: 0, flopsDone: 0,
      current: null, lastGflops: null, lastLoss: null, errors: [], results: [],
    };
  }

  get snapshot(): WorkerSnapshot {
    return this.snap;
  }

  private set(p: Partial<WorkerSnapshot>) {
    this.snap = { ...this.snap, ...p };
    this.o.onUpdate?.(this.snap);
  }

  private log(line: string) {
    this.o.log?.(line);
  }

  start(): Promise<void> {
    this.loop ??= this.run().finally(async () => {
      await this.dropPredictor();
      this.set({ state: "stopped", current: null });
    });
    return this.loop;
  }

  /** W by its hash: the decoded copy kept from an earlier fragment, else the blob (cache or API), checked and decoded. */
  private async weightsOf(sha256: string): Promise<Float32Array> {
    if (this.weightsMemo?.sha256 === sha256) return this.weightsMemo.weights;
    const { bytes } = await this.retrying("fetch weights", () => cachedBlob(this.o.cache, sha256, (h) => this.o.api.blob(h)));
    const weights = decodeFloat32(bytes);
    this.weightsMemo = { sha256, weights };
    return weights;
  }

  /** The classifier for an inference job's weights, built once per weights hash and model. */
  private async predictorOf(spec: MlpSpec, sha256: string, weights: Float32Array): Promise<Predictor> {
    const key = `${sha256}:${spec.layers.join("-")}:${spec.activation}`;
    if (this.predictorMemo?.key !== key) {
      await this.dropPredictor();
      const predictor = createPredictor(this.o.backend, spec, weights);
      this.predictorMemo = { key, predictor };
      // A failed build is not kept: the next fragment tries again.
      predictor.catch(() => {
        if (this.predictorMemo?.predictor === predictor) this.predictorMemo = null;
      });
    }
    return this.predictorMemo!.predictor;
  }

  private async dropPredictor(): Promise<void> {
    const old = this.predictorMemo;
    this.predictorMemo = null;
    if (old) (await old.predictor.catch(() => null))?.destroy?.();
  }

  /** Holds between chunks (the lease keeps its heartbeat) and claims nothing new until resume(). */
  pause(): void {
    this.paused = true;
    this.set({ state: "paused" });
  }

  resume(): void {
    this.paused = false;
    for (const w of this.resumeWaiters.splice(0)) w();
    this.wake?.();
  }

  setThrottle(share: number): void {
    this.set({ throttle: Math.min(1, Math.max(0.05, share)) });
  }

  /** Abandons the current fragment (its lease is given back or left to expire) and ends the loop. */
  async stop(): Promise<void> {
    if (this.abort.signal.aborted) return this.loop ?? undefined;
    this.set({ state: "stopping" });
    this.abort.abort();
    this.resume();
    await this.loop;
  }

  private gate = async (): Promise<void> => {
    while (this.paused && !this.abort.signal.aborted) {
      this.set({ state: "paused" });
      await new Promise<void>((r) => this.resumeWaiters.push(r));
    }
    if (this.abort.signal.aborted) throw new AbortedError();
  };

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.abort.signal;
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        signal.removeEventListener("abort", done);
        resolve();
      }
      this.wake = done;
      signal.addEventListener("abort", done, { once: true });
    });
  }

  private recordError(during: string, e: unknown, attempt: number, retryInMs: number | null) {
    const message = e instanceof Error ? e.message : String(e);
    const benign = isBenign(e);
    this.log(`${benign ? "note" : "error"} during ${during}: ${message}${retryInMs !== null ? ` (retry ${attempt} in ${Math.round(retryInMs)} ms)` : ""}`);
    this.set({ errors: [...this.snap.errors, { at: Date.now(), during, message, attempt, retryInMs, ...(benign ? { benign } : {}) }].slice(-MAX_ERRORS) });
  }

  private backoffMs(attempt: number): number {
    const { baseMs, maxMs } = this.o.backoff ?? { baseMs: 500, maxMs: 30_000 };
    const cap = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
    return cap / 2 + Math.random() * (cap / 2);
  }

  /** Retries transient failures with back-off until it works or the worker stops; others are thrown. */
  private async retrying<T>(during: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (this.abort.signal.aborted) throw new AbortedError();
      try {
        return await fn();
      } catch (e) {
        if (e instanceof AbortedError || this.abort.signal.aborted) throw new AbortedError();
        const transient = !(e instanceof WorkerApiError) || e.retryable;
        if (!transient) throw e;
        const wait = this.backoffMs(attempt);
        this.recordError(during, e, attempt, wait);
        const prev = this.snap.state;
        this.set({ state: "backing-off" });
        await this.sleep(wait);
        this.set({ state: prev });
      }
    }
  }

  private async run(): Promise<void> {
    const { api } = this.o;
    let refusals = 0;
    while (!this.abort.signal.aborted) {
      try {
        await this.gate();
        this.set({ state: "claiming" });
        const lease = await this.retrying("claim", () => api.claim());
        if (!lease) {
          const idle = this.o.idleMs ?? 2_000;
          this.set({ state: "waiting", retryAt: Date.now() + idle });
          await this.sleep(idle);
          continue;
        }
        refusals = 0;
        await this.work(lease);
      } catch (e) {
        if (e instanceof AbortedError || this.abort.signal.aborted) break;
        // A refusal (4xx): say it and wait longer each time; the user may fix it (stake, tier, key).
        refusals++;
        const wait = this.backoffMs(Math.min(refusals + 3, 10));
        this.recordError(this.snap.state, e, refusals, wait);
        this.set({ state: "backing-off", current: null });
        await this.sleep(wait);
      }
    }
  }

  private async work(lease: Lease): Promise<void> {
    const { api, cache } = this.o;
    const inp = lease.inputs;
    // An inference fragment's progress counts rows, a training fragment's steps.
    const steps = inp.inference?.rows ?? inp.steps;
    this.log(`leased fragment job ${lease.jobId.slice(0, 8)} round ${lease.round} shard ${lease.shard} (replica ${lease.replica}, ${steps} ${inp.inference ? "rows" : "steps"})`);
    this.set({ state: "fetching", current: { slotId: lease.slotId, jobId: lease.jobId, round: lease.round, shard: lease.shard, step: 0, steps } });
    const heartbeat = this.heartbeats(lease);
    const t0 = performance.now();
    try {
      const [weights, s] = await Promise.all([
        this.weightsOf(inp.weightsSha256),
        this.retrying("fetch shard", () => cachedBlob(cache, inp.shardSha256, (h) => api.blob(h))),
      ]);
      const t1 = performance.now();
      this.set({ state: "computing" });
      const run: RunOptions = {
        chunkSteps: this.o.chunkSteps,
        throttle: () => this.snap.throttle,
        signal: this.abort.signal,
        gate: this.gate,
        onProgress: (p) => {
          this.set({ state: "computing", current: this.snap.current && { ...this.snap.current, step: p.step } });
        },
      };
      const { model } = inp;
      const common = { weights, steps: inp.steps, batch: inp.batch, lr: inp.lr, seed: inp.seed };
      // The fragment picks the maths: inference classifies the table's rows; for training the model kind
      // decides (GPT fragments carry token windows, MLP ones a table).
      const result =
        inp.inference && model.kind === "gpt"
          ? await runGptInference({ spec: gptOf({ model }), weights, shard: decodePromptShard(s.bytes), maxTokens: inp.inference.maxTokens ?? 0 }, run)
          : inp.inference && model.kind === "mlp"
          ? await runInference(this.o.backend, {
              spec: model, weights, shard: normalisedShard(s.bytes, inp.normalisation.mean, inp.normalisation.std), predictor: await this.predictorOf(model, inp.weightsSha256, weights),
            }, run)
          : model.kind === "gpt"
          ? await runGptFragment(this.o.backend, { ...common, spec: gptOf({ model }), shard: tokenShard(s.bytes, gptOf({ model })) }, run)
          : await runFragment(this.o.backend, { ...common, spec: model, shard: normalisedShard(s.bytes, inp.normalisation.mean, inp.normalisation.std) } satisfies FragmentInput, run);
      const flops = Number(lease.workUnits);
      this.set({ state: "submitting", lastGflops: flops / (result.computeMs / 1000) / 1e9, lastLoss: result.meanLoss });
      const t2 = performance.now();
      let receipt: SubmitReceipt;
      try {
        receipt = await this.retrying("submit", () => api.submit(lease, result.delta, result.meanLoss));
      } catch (e) {
        // The lease expired or the slot moved on while computing: drop this result and claim again.
        if (e instanceof WorkerApiError && (e.status === 409 || e.status === 403 || e.status === 404)) {
          this.recordError("submit", e, 1, null);
          this.set({ fragmentsDropped: this.snap.fragmentsDropped + 1, current: null });
          return;
        }
        throw e;
      }
      this.set({
        fragmentsDone: this.snap.fragmentsDone + 1,
        fragmentsAccepted: this.snap.fragmentsAccepted + (receipt.status === "accepted" ? 1 : 0),
        fragmentsRejected: this.snap.fragmentsRejected + (receipt.status === "rejected" ? 1 : 0),
        flopsDone: this.snap.flopsDone + flops,
        current: null,
        results: receipt.resultId ? [...this.snap.results, { resultId: receipt.resultId, status: receipt.status }].slice(-MAX_RESULTS) : this.snap.results,
      });
      this.log(`submitted round ${lease.round} shard ${lease.shard}: loss ${result.meanLoss.toFixed(4)}, ${this.snap.lastGflops!.toFixed(2)} GFLOP/s, ${receipt.status} (inputs ${ms(t1 - t0)}, compute ${ms(t2 - t1)}, submit ${ms(performance.now() - t2)})`);
    } catch (e) {
      if (e instanceof AbortedError || this.abort.signal.aborted) {
        this.set({ fragmentsAbandoned: this.snap.fragmentsAbandoned + 1, current: null });
        await api.abandon?.(lease).catch(() => undefined);
        this.log(`abandoned round ${lease.round} shard ${lease.shard}`);
      }
      throw e;
    } finally {
      heartbeat.stop();
    }
  }

  /**
   * Heartbeats every third of the lease while the fragment is in hand. A heartbeat is idempotent, so a
   * transient failure (a connection reset, 429, 5xx) is retried with back-off within the beat; a
   * refusal, or a beat still failing, waits for the next beat (the lease outlasts two missed beats).
   */
  private heartbeats(lease: Lease): { stop(): void } {
    const every = Math.max(1_000, (lease.leaseSeconds * 1000) / 3);
    let stopped = false;
    const beat = async () => {
      const deadline = Date.now() + every / 2;
      for (let attempt = 1; !stopped; attempt++) {
        try {
          return await this.o.api.heartbeat(lease);
        } catch (e) {
          const wait = this.backoffMs(attempt);
          const transient = !(e instanceof WorkerApiError) || e.retryable;
          const retry = transient && Date.now() + wait < deadline;
          this.recordError("heartbeat", e, attempt, retry ? wait : every);
          if (!retry) return;
          await this.sleep(wait);
        }
      }
    };
    const timer = setInterval(() => void beat(), every);
    return { stop: () => ((stopped = true), clearInterval(timer)) };
  }
}
