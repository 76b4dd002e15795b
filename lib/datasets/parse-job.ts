// Parsing an upload off the request's event loop: each upload gets a worker thread of its own
// (./parse-worker.ts) with a heap budget (the time budget is ./upload.ts's), and at most
// UPLOAD_PARSE_CONCURRENCY run at once (withUploadSlot). The request streams the file's chunks to it and stops reading while the worker is more than
// HIGH_WATER behind, so neither side holds more than a few MB of the file; the worker's
// acknowledgements are the progress the client sees.
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { ApiError, type ErrorCode } from "@/lib/api";
import type { CsvTable } from "./csv";
import type { TextMode } from "./text";
import type { CorpusSummary } from "./text-datasets";

export type ParseInit = { kind: "csv"; label: string } | { kind: "text"; mode: TextMode; maxBytes: number };
export type TextResult = CorpusSummary & { kind: "text"; blob: Uint8Array; mode: TextMode; bytes: number };
export type ParseResult = (CsvTable & { kind: "csv" }) | TextResult;
export type ParseRefusal = { status: number; code: ErrorCode; message: string; details?: unknown };
export type ParseProgress = { bytes: number; rows: number };
export type ToWorker = { type: "chunk"; chunk: Uint8Array } | { type: "end" };
export type ToParent = { type: "ack"; bytes: number; rows: number; buffer: ArrayBuffer } | { type: "done"; result: ParseResult } | { type: "refused"; refusal: ParseRefusal };

/** Bytes handed to the worker and not yet parsed, past which the request is not read further. */
export const HIGH_WATER = 4 * 1024 * 1024;

/** Chunk buffers are at least this big (a request's chunks are up to 64 KiB), and at most this many kept for reuse. */
const MIN_CHUNK_BUFFER = 64 * 1024;
const MAX_SPARE_BUFFERS = 96;

/** The worker's JavaScript heap: room for a .txt's decoded text and its split copies (typed arrays are outside it). */
export const parseHeapMb = (maxBytes: number) => 64 + Math.ceil((8 * maxBytes) / 2 ** 20);

export type ParseJobOptions = {
  heapMb: number;
  onProgress?: (p: ParseProgress) => void;
};

let sourceBundle: Promise<string> | undefined;

/**
 * The worker from source (tsx scripts, vitest), bundled once per process with esbuild as Next would
 * bundle it: Node 20 cannot load TypeScript in a worker thread, and registering tsx there costs seconds
 * per worker.
 */
function bundleFromSource(): Promise<string> {
  // Hidden from Next's bundler: in `next dev` it would otherwise trace esbuild's package (and fail on its files).
  sourceBundle ??= import(/* webpackIgnore: true */ /* turbopackIgnore: true */ "esbuild").then(async ({ build }) => {
    const entry = fileURLToPath(new URL("./parse-worker.ts", import.meta.url));
    const out = await build({ entryPoints: [entry], bundle: true, platform: "node", format: "cjs", target: "node20", write: false, logLevel: "silent" });
    return out.outputFiles[0]!.text;
  });
  return sourceBundle;
}

async function startWorker(init: ParseInit, heapMb: number): Promise<Worker> {
  const resourceLimits = { maxOldGenerationSizeMb: heapMb };
  // Next (Turbopack, in `next dev` and `next build`) bundles this call's entry into a worker chunk of its own.
  if (process.env.NEXT_RUNTIME) return new Worker(new URL("./parse-worker.ts", import.meta.url), { workerData: init, resourceLimits });
  return new Worker(await bundleFromSource(), { eval: true, workerData: init, resourceLimits });
}

const outOfMemory = (heapMb: number) =>
  new ApiError(413, "payload_too_large", `parsing this file needs more memory than an upload may use (${heapMb} MB): send a smaller file`, { heapMb });

/** One upload's parse in its worker: `write` chunks (respecting `drain`), then `end`; `abort` stops it. */
export class ParseJob {
  readonly progress: ParseProgress = { bytes: 0, rows: 0 };
  readonly result: Promise<ParseResult>;
  private inFlight = 0;
  private readonly spare: ArrayBuffer[] = [];
  private waiting: (() => void)[] = [];
  private done = false;
  private settle!: (e: unknown, r?: ParseResult) => void;

  /** Starts the upload's worker. */
  static async start(init: ParseInit, options: ParseJobOptions): Promise<ParseJob> {
    return new ParseJob(await startWorker(init, options.heapMb), options);
  }

  private constructor(
    private readonly worker: Worker,
    private readonly options: ParseJobOptions,
  ) {
    this.result = new Promise<ParseResult>((resolve, reject) => {
      this.settle = (e, r) => {
        if (this.done) return;
        this.done = true;
        void this.worker.terminate();
        for (const w of this.waiting.splice(0)) w();
        if (r) resolve(r);
        else reject(e);
      };
    });
    this.result.catch(() => undefined); // the caller awaits it; this only keeps an early failure from going unhandled
    this.worker.on("message", (m: ToParent) => this.receive(m));
    this.worker.on("error", (e: Error & { code?: string }) => this.settle(e.code === "ERR_WORKER_OUT_OF_MEMORY" ? outOfMemory(options.heapMb) : e));
    this.worker.on("exit", (code) => this.settle(new Error(`the upload's parse worker exited (code ${code}) before it answered`)));
  }

  private receive(m: ToParent): void {
    if (m.type === "ack") {
      if (this.spare.length < MAX_SPARE_BUFFERS) this.spare.push(m.buffer);
      this.inFlight -= m.bytes;
      this.progress.bytes += m.bytes;
      this.progress.rows = m.rows;
      this.options.onProgress?.(this.progress);
      if (this.inFlight < HIGH_WATER) for (const w of this.waiting.splice(0)) w();
    } else if (m.type === "done") this.settle(null, m.result);
    else this.settle(new ApiError(m.refusal.status, m.refusal.code, m.refusal.message, m.refusal.details));
  }

  /**
   * Hands a chunk to the worker: copied (busboy's chunks are views of larger buffers) into a buffer that
   * is moved, not cloned, and that the worker's acknowledgement moves back for the next chunk — so the
   * upload allocates about HIGH_WATER of chunk buffers in all, not garbage the size of the file.
   * false: wait for `drain()`.
   */
  write(chunk: Uint8Array): boolean {
    if (this.done) return true;
    const i = this.spare.findIndex((b) => b.byteLength >= chunk.byteLength);
    const buffer = i >= 0 ? this.spare.splice(i, 1)[0]! : new ArrayBuffer(Math.max(chunk.byteLength, MIN_CHUNK_BUFFER));
    const copy = new Uint8Array(buffer, 0, chunk.byteLength);
    copy.set(chunk);
    this.worker.postMessage({ type: "chunk", chunk: copy } satisfies ToWorker, [buffer]);
    this.inFlight += copy.byteLength;
    return this.inFlight < HIGH_WATER;
  }

  /** Resolves once the worker has caught up below HIGH_WATER (or the job is over). */
  drain(): Promise<void> {
    return this.done || this.inFlight < HIGH_WATER ? Promise.resolve() : new Promise((r) => this.waiting.push(r));
  }

  end(): Promise<ParseResult> {
    if (!this.done) this.worker.postMessage({ type: "end" } satisfies ToWorker);
    return this.result;
  }

  abort(reason: unknown): void {
    this.settle(reason);
  }
}

let active = 0;

/**
 * Runs `fn` (an upload: parse and store) holding one of `max` upload slots, so at most `max` workers
 * and their tables are in memory at once. None free: 503 `server_busy` with Retry-After.
 */
export async function withUploadSlot<T>(max: number, fn: () => Promise<T>): Promise<T> {
  if (active >= max) throw new ApiError(503, "server_busy", `the server is parsing ${max} other upload${max === 1 ? "" : "s"}: try again in a few seconds`, undefined, { "retry-after": "5" });
  active++;
  try {
    return await fn();
  } finally {
    active--;
  }
}
