// `npm run bench:inference`: verified batch inference through the network against the same kernels in
// one process (issue 23). Setup (not timed): a fresh database on TEST_DATABASE_URL's server, anvil with
// the contracts, an MNIST 784-128-10 classifier trained in-process (the demo job's architecture, WASM SGD,
// BENCH_INFERENCE_TRAIN_STEPS steps) and put in the registry as an upload, a 20,000-row table (the
// built-in 10,000 digits, repeated), two nodes of two owners, and two CLI workers (`scripts/worker.ts`,
// WebAssembly, separate processes) pointed at this process's HTTP server, which serves the real route
// handlers of the fragments API and blobs (node:http → the app's `route()` handlers; not `next start`,
// whose build takes minutes). The coordinator (lib/scheduler coordinatorTick and the indexer) runs here
// in a loop. Timed: from the tick that opens the job's only round to the tick that finds every fragment
// accepted and every spot check settled (the run moves to `completing`) — redundancy 2 with adaptive
// replication (BENCH_INFERENCE_ADAPTIVE_MIN_VALID, default 0: both nodes trusted from the start, so a
// fragment is accepted on one result and always spot-checked by the other node; every row is computed
// twice either way). Single-process: the same shards decoded, normalised, classified by the same WASM
// predictor and encoded, one after another. Prints exactly:
//   inference network <rows/s> rows/s
//   inference single-process <rows/s> rows/s
//   inference ratio <network/single>
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { stakingAbi, taskManagerAbi } from "@/contracts-abi";
import { fsBlobStore } from "@/lib/blobs";
import { initWeights, MlpWasmPredictor, runFragmentWasm, type MlpSpec } from "@/lib/compute";
import { benchInferenceEnvSchema, parseEnv } from "@/lib/config";
import { encodeTable, ensureBuiltinDataset, loadTable, normalisationOf, takeRows } from "@/lib/datasets";
import { runIndexer } from "@/lib/indexer";
import { expectedTensors, readSafetensors } from "@/lib/models/client";
import { encodeClassifications, normalisedShard, specOf } from "@/lib/protocol";
import { freePort, ProcessGroup, tsxScript, waitFor } from "@/scripts/lib/processes";
import { startAnvil } from "@/test/support/anvil";
import { connectChain } from "@/test/support/chain-workload";
import { createTestDatabase } from "@/test/support/db";

const env = parseEnv("bench:inference", benchInferenceEnvSchema);
const ROWS = env.BENCH_INFERENCE_ROWS;
const PER = env.BENCH_INFERENCE_ROWS_PER_FRAGMENT;
const log = (s: string) => console.error(`[bench] ${s}`);
/**
 * Pause between coordinator passes (`npm run coordinator`'s COORDINATOR_INTERVAL_MS, 1000 by default).
 * Measured at 50, 100 and 250 ms: slower passes did not free CPU (the routes, not the passes, take this
 * process's 0.8 core) and left open replicas longer for workers to compute in vain, so 50 ms stays.
 */
const TICK_MS = 50;
const MLP: MlpSpec = { layers: [784, 128, 10], activation: "relu" };

type Ctx = { db: Awaited<ReturnType<typeof createTestDatabase>>["prisma"]; store: ReturnType<typeof fsBlobStore>; chainId: number };

/** The demo architecture trained briefly on the built-in MNIST (WASM SGD, the workers' own kernels), as registry safetensors. */
async function trainModel(ctx: Ctx, mlpSafetensors: (layers: number[], w: Float32Array, meta: Record<string, string>) => Uint8Array) {
  const mnist = await ensureBuiltinDataset(ctx.db, ctx.store, "mnist");
  const table = await loadTable(ctx.store, mnist.sha256);
  const norm = normalisationOf("global", { mean: mnist.mean as number[], std: mnist.std as number[] });
  const shard = normalisedShard(encodeTable(table), norm.mean, norm.std);
  const w0 = initWeights(MLP, 42);
  const r = await runFragmentWasm({ spec: MLP, weights: w0, shard, steps: env.BENCH_INFERENCE_TRAIN_STEPS, batch: 32, lr: 0.1, seed: 1 });
  const weights = w0.map((v, i) => v + r.delta[i]!);
  const config = { kind: "mlp" as const, layers: [...MLP.layers], activation: MLP.activation, image: { width: 28, height: 28, maxValue: 1 }, normalisation: { mean: norm.mean, std: norm.std } };
  const bytes = mlpSafetensors(config.layers, weights, { format: "pt" });
  return { mnist, table, config, bytes, loss: r.meanLoss };
}

/** ROWS rows of MNIST (repeated) as an uploaded dataset of `owner` (written directly: setup, not timed). */
async function rowsDataset(ctx: Ctx, owner: string, mnist: Awaited<ReturnType<typeof trainModel>>["mnist"], table: Awaited<ReturnType<typeof loadTable>>) {
  const t = takeRows(table, Array.from({ length: ROWS }, (_, i) => i % table.rows));
  const bytes = encodeTable(t);
  const { sha256 } = await ctx.store.put(bytes);
  return ctx.db.dataset.create({
    data: {
      source: "upload", name: `mnist-${ROWS}`, owner: owner.toLowerCase(), sha256, rows: t.rows, features: t.features, classes: t.classes,
      featureNames: mnist.featureNames as string[], classNames: mnist.classNames as string[], labelColumn: "label", mean: mnist.mean as number[], std: mnist.std as number[],
      heldOutRows: null, sizeBytes: BigInt(bytes.length),
    },
  });
}

/** Seconds every core of the machine has spent busy so far (/proc/stat; null off Linux). */
function machineBusy(): number | null {
  try {
    const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal: busy = all − idle − iowait (USER_HZ = 100)
    return (ticks.slice(0, 8).reduce((a, b) => a + b, 0) - ticks[3]! - ticks[4]!) / 100;
  } catch {
    return null;
  }
}

type Handler = (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** The fragments API and blobs as the app serves them: its route handlers behind node:http. */
async function serveApi(port: number) {
  const claim = (await import("@/app/api/fragments/claim/route")).POST as unknown as Handler;
  const heartbeat = (await import("@/app/api/fragments/[id]/heartbeat/route")).POST as unknown as Handler;
  const result = (await import("@/app/api/fragments/[id]/result/route")).POST as unknown as Handler;
  const abandon = (await import("@/app/api/fragments/[id]/abandon/route")).POST as unknown as Handler;
  const blob = (await import("@/app/api/blobs/[sha256]/route")).GET as unknown as Handler;
  const routes: [string, RegExp, Handler, string][] = [
    ["POST", /^\/api\/fragments\/claim$/, claim, ""],
    ["POST", /^\/api\/fragments\/([^/]+)\/heartbeat$/, heartbeat, "id"],
    ["POST", /^\/api\/fragments\/([^/]+)\/result$/, result, "id"],
    ["POST", /^\/api\/fragments\/([^/]+)\/abandon$/, abandon, "id"],
    ["GET", /^\/api\/blobs\/([0-9a-f]{64})$/, blob, "sha256"],
  ];
  const claimers = new Set<number>();
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
    if (url.pathname === "/api/fragments/claim") claimers.add(req.socket.remotePort ?? 0);
    const hit = routes.map(([m, re, h, p]) => ({ m, h, p, match: re.exec(url.pathname) })).find((r) => r.match && r.m === req.method);
    if (!hit) return void res.writeHead(404).end();
    const body = req.method === "GET" ? undefined : (Readable.toWeb(req) as unknown as ReadableStream);
    const request = new Request(url, { method: req.method, headers: req.headers as Record<string, string>, body, duplex: "half" } as RequestInit);
    const response = await hit.h(request, { params: Promise.resolve(hit.p ? { [hit.p]: hit.match![1]! } : {}) });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  /** Connections that have asked for work (each CLI worker keeps one alive). */
  return { server, claimers };
}

/** The same work in one process: every shard decoded, normalised, classified (WASM) and encoded. */
async function singleProcess(ctx: Ctx, spec: ReturnType<typeof specOf>, weights: Float32Array): Promise<number> {
  const shards = await Promise.all(spec.shards.map(async (s) => (await ctx.store.get(s.sha256))!));
  const t0 = performance.now();
  const predictor = await MlpWasmPredictor.create(MLP, weights);
  let rows = 0;
  for (const bytes of shards) {
    const shard = normalisedShard(bytes, spec.dataset.mean, spec.dataset.std);
    const n = shard.labels.length;
    encodeClassifications(predictor.logits(shard.features, n), 10);
    rows += n;
  }
  return rows / ((performance.now() - t0) / 1000);
}

async function main() {
  const group = new ProcessGroup();
  const tmp = await mkdtemp(path.join(os.tmpdir(), "corex-bench-inference-"));
  const anvil = await startAnvil();
  const db = await createTestDatabase();
  const stop = async () => {
    await group.stopAll(3_000);
    await db.drop().catch(() => undefined);
    await anvil.stop();
    await rm(tmp, { recursive: true, force: true });
  };
  try {
    const chain = await connectChain(anvil.rpcUrl);
    const blobDir = path.join(tmp, "blobs");
    Object.assign(process.env, { DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, CHAIN_ID: "31337", BLOB_STORE: "fs", BLOB_DIR: blobDir });
    const ctx: Ctx = { db: db.prisma, store: fsBlobStore(blobDir), chainId: 31337 };
    const creator = privateKeyToAccount(generatePrivateKey());
    const keys = [generatePrivateKey(), generatePrivateKey()];
    await run(ctx, chain, creator, keys, group, tmp);
  } finally {
    await stop();
  }
}

async function run(ctx: Ctx, chain: Awaited<ReturnType<typeof connectChain>>, creator: ReturnType<typeof privateKeyToAccount>, keys: `0x${string}`[], group: ProcessGroup, tmp: string) {
  const owners = keys.map((k) => privateKeyToAccount(k));
  const sch = await import("@/lib/scheduler");
  const { createJob, createInferenceJobSchema } = await import("@/lib/jobs");
  const { saveUploadedModel } = await import("@/lib/models");
  const index = () => runIndexer({ prisma: ctx.db, rpcUrl: chain.rpcUrl, chainId: 31337, contracts: chain.contracts, stopAtHead: true, log: () => {} });
  // The indexer follows the chain at its default poll (INDEXER_POLL_MS, 1 s), as `npm run indexer`
  // does beside the coordinator, not on every pass (nothing on chain changes while the job runs); in
  // line with the passes, one Prisma client between them.
  let indexedAt = 0;
  const tick = async () => {
    if (performance.now() - indexedAt >= 1000) {
      await index();
      indexedAt = performance.now();
    }
    return sch.coordinatorTick(ctx, { rpcUrl: chain.rpcUrl, taskManager: chain.addr.tasks }, { adaptiveMinValid: env.BENCH_INFERENCE_ADAPTIVE_MIN_VALID });
  };
  const trained = await trainModel(ctx, sch.mlpSafetensors);
  log(`model 784-128-10 trained in-process (${env.BENCH_INFERENCE_TRAIN_STEPS} steps, last loss ${trained.loss.toFixed(3)})`);
  const sha256 = createHash("sha256").update(trained.bytes).digest("hex");
  const model = await saveUploadedModel(ctx, creator.address, { config: trained.config, name: "bench mnist", fileName: "mnist.safetensors", bytes: trained.bytes, sha256, size: trained.bytes.length });
  const dataset = await rowsDataset(ctx, creator.address, trained.mnist, trained.table);
  const nodeIds: bigint[] = [];
  for (const o of [creator, ...owners]) await chain.client.setBalance({ address: o.address, value: 10n ** 19n });
  for (const o of owners) {
    await chain.client.waitForTransactionReceipt({ hash: await chain.client.writeContract({ account: o, chain: chain.client.chain, address: chain.addr.staking, abi: stakingAbi, functionName: "registerNode", args: [1, "corex://bench/inference"] }) });
    nodeIds.push((await chain.client.readContract({ address: chain.addr.staking, abi: stakingAbi, functionName: "nodeCount" })) as bigint);
  }
  await index();
  const port = await freePort();
  const { server, claimers } = await serveApi(port);
  try {
    for (let i = 0; i < owners.length; i++) {
      const w = tsxScript("scripts/worker.ts", ["--api", `http://127.0.0.1:${port}`, "--node", String(nodeIds[i]), "--chain-id", "31337", "--poc", "0", "--idle", "100", "--cache", path.join(tmp, `cache-${i}`)]);
      group.spawn(`worker-${i + 1}`, w.command, w.args, { env: { ...process.env, WORKER_KEY: keys[i]! } });
    }
    const input = createInferenceJobSchema.parse({ kind: "inference", modelId: model.id, dataset: dataset.id, rowsPerFragment: PER, redundancy: 2, spotCheckRate: 0, fee: "0" });
    const job = await createJob(ctx, creator.address, input);
    await chain.client.waitForTransactionReceipt({
      hash: await chain.client.writeContract({ account: creator, chain: chain.client.chain, address: chain.addr.tasks, abi: taskManagerAbi, functionName: "createTask", args: [job.specHash as `0x${string}`, job.fragmentCount, 0n, 0, "0x0000000000000000000000000000000000000000", 0] }),
    });
    // The clock starts once both workers have booted (tsx) and poll for work.
    await waitFor("both workers polling", async () => claimers.size >= 2, 120_000, 100);
    const t0 = performance.now();
    const busy0 = machineBusy();
    const cpu0 = process.cpuUsage();
    await tick();
    await waitFor("every fragment accepted and verified", async () => {
      await tick();
      const r = await ctx.db.trainingRun.findUnique({ where: { jobId: job.id } });
      return r !== null && r.status !== "training";
    }, 600_000, TICK_MS);
    const seconds = (performance.now() - t0) / 1000;
    await tick();    const cpu = process.cpuUsage(cpu0);
    const busy1 = machineBusy();
    // Where the cores went while the network ran: this process (HTTP routes + coordinator loop), and
    // everything on the machine (the workers, Postgres, anvil) — the argument of the benchmark's page.
    if (busy0 && busy1) log(`cpu: ${((busy1 - busy0) / seconds).toFixed(2)} of ${os.cpus().length} cores busy; this process (routes + coordinator) ${((cpu.user + cpu.system) / 1e6 / seconds).toFixed(2)} cores`);
    const faults = await ctx.db.fault.count({ where: { jobId: job.id } });
    const results = await ctx.db.fragmentResult.groupBy({ by: ["kind", "status"], where: { jobId: job.id }, _count: { _all: true } });
    log(`${job.fragmentCount} fragments in ${seconds.toFixed(2)} s; results ${results.map((r) => `${r.kind}/${r.status} ${r._count._all}`).join(", ")}; faults ${faults}`);
    const spec = specOf({ id: job.id, spec: (await ctx.db.job.findUniqueOrThrow({ where: { id: job.id } })).spec });
    const { weights } = readSafetensors(trained.bytes, expectedTensors(trained.config));
    const network = ROWS / seconds;
    const single = await singleProcess(ctx, spec, weights);
    console.log(`inference network ${network.toFixed(0)} rows/s`);
    console.log(`inference single-process ${single.toFixed(0)} rows/s`);
    console.log(`inference ratio ${(network / single).toFixed(3)}`);
  } finally {
    server.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
