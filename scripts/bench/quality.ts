/**
 * `npm run bench:quality`: the demo model (MNIST 8,000 train / 2,000 held out, MLP 784-128-10, ReLU)
 * trained through the real coordinator — Postgres, anvil with the contracts, the fragments API's route
 * handlers over HTTP, the coordinator's verification and outer (Nesterov) aggregation — by CPU workers
 * (lib/worker on WebAssembly, one node each), and in the same run the same model trained in one process
 * with plain SGD on the same number of samples (same batch, learning rate, seed and data). The job is
 * the demo job `npm run dev` seeds (lib/jobs/demo.ts). Ends with the three lines the issue asks for.
 * Flags: --rounds R (default 40), --workers N (default 2), --quick (R = 2, to check the plumbing).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { stakingAbi } from "@/contracts-abi/staking";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { batchIndices, evaluate, initWeights, WasmKernels, WasmTrainer, type MlpSpec } from "@/lib/compute";
import { fsBlobStore } from "@/lib/blobs";
import { DEMO_MNIST_JOB } from "@/lib/jobs";
import { runIndexer } from "@/lib/indexer";
import { mlpOf, normalisedShard, specOf } from "@/lib/protocol";
import { httpWorkerApi, memoryBlobCache, wasmBackend, WorkerRuntime } from "@/lib/worker";
import { startAnvil } from "@/test/support/anvil";
import { noCtx, req, useAppEnv as setAppEnv } from "@/test/support/app-env";
import { connectChain } from "@/test/support/chain-workload";
import { createTestDatabase } from "@/test/support/db";
import { serveRoutes } from "@/test/support/route-server";
import { signInCookie } from "@/test/support/sign-in";

const { values } = parseArgs({ options: { rounds: { type: "string" }, workers: { type: "string" }, quick: { type: "boolean" } } });
const rounds = values.quick ? 2 : Number(values.rounds ?? DEMO_MNIST_JOB.hyper.rounds);
const workers = Number(values.workers ?? 2);
// The demo job's tuned hyper-parameters (lib/jobs/demo.ts): 8 shards × 20 steps × batch 32 = 5,120
// samples a round; 40 rounds ≈ 25.6 epochs of the 8,000 rows.
const hyper = { ...DEMO_MNIST_JOB.hyper, rounds };
const log = (s: string) => console.log(`[quality] ${s}`);

async function main() {
  const anvil = await startAnvil();
  const db = await createTestDatabase();
  const blobDir = await mkdtemp(path.join(tmpdir(), "corex-quality-"));
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const chain = await connectChain(anvil.rpcUrl);
    setAppEnv({ DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, CHAIN_ID: "31337", BLOB_STORE: "fs", BLOB_DIR: blobDir });
    const routes = {
      claim: await import("@/app/api/fragments/claim/route"),
      heartbeat: await import("@/app/api/fragments/[id]/heartbeat/route"),
      result: await import("@/app/api/fragments/[id]/result/route"),
      abandon: await import("@/app/api/fragments/[id]/abandon/route"),
      blob: await import("@/app/api/blobs/[sha256]/route"),
    };
    const { coordinatorTick } = await import("@/lib/scheduler/coordinator");
    const id = "([0-9a-f-]{36})";
    const server = await serveRoutes([
      ["POST", /^\/api\/fragments\/claim$/, routes.claim.POST as never],
      ["POST", new RegExp(`^/api/fragments/${id}/heartbeat$`), routes.heartbeat.POST as never],
      ["POST", new RegExp(`^/api/fragments/${id}/result$`), routes.result.POST as never],
      ["POST", new RegExp(`^/api/fragments/${id}/abandon$`), routes.abandon.POST as never],
      ["GET", /^\/api\/blobs\/([0-9a-f]{64})$/, routes.blob.GET as never, ["sha256"]],
    ]);
    stops.push(server.close);
    const index = () => runIndexer({ prisma: db.prisma, rpcUrl: anvil.rpcUrl, chainId: 31337, contracts: chain.contracts, stopAtHead: true, log: () => {} });

    // Job creator and one node per worker (distinct owners), mirrored by the indexer.
    const creator = privateKeyToAccount(generatePrivateKey());
    const owners = Array.from({ length: workers }, () => privateKeyToAccount(generatePrivateKey()));
    for (const a of [creator, ...owners]) await chain.client.setBalance({ address: a.address, value: 10n ** 19n });
    for (const o of owners) {
      const hash = await chain.client.writeContract({ account: o, chain: chain.client.chain, address: chain.addr.staking, abi: stakingAbi, functionName: "registerNode", args: [1, "corex://bench/cpu"] });
      await chain.client.waitForTransactionReceipt({ hash });
    }
    const cookie = await signInCookie(creator);
    const jobs = await import("@/app/api/jobs/route");
    const res = await jobs.POST(req("/api/jobs", { method: "POST", json: { ...DEMO_MNIST_JOB, hyper, redundancy: 1, spotCheckRate: 0 }, cookie }), noCtx);
    if (res.status !== 201) throw new Error(`job creation failed: ${res.status} ${await res.text()}`);
    const job = (await res.json()) as { id: string; specHash: Hex; fragmentCount: number };
    const hash = await chain.client.writeContract({ account: creator, chain: chain.client.chain, address: chain.addr.tasks, abi: taskManagerAbi, functionName: "createTask", args: [job.specHash, job.fragmentCount, 0n, 0] });
    await chain.client.waitForTransactionReceipt({ hash });
    await index();
    const nodes = await db.prisma.node.findMany({ orderBy: { nodeId: "asc" } });
    log(`job ${job.id}: ${rounds} rounds × ${hyper.shards} shards × ${hyper.localSteps} steps × batch ${hyper.batch}, ${workers} CPU workers`);

    const ctx = { db: db.prisma, store: fsBlobStore(blobDir), chainId: 31337 };
    const t0 = Date.now();
    const runtimes = owners.map((o, i) => new WorkerRuntime({
      api: httpWorkerApi({ api: server.url, account: o, nodeId: nodes.find((n) => n.owner === o.address.toLowerCase())!.nodeId, chainId: 31337 }),
      backend: wasmBackend(), cache: memoryBlobCache(), idleMs: 100,
      log: (line) => /error/.test(line) && log(`worker ${i}: ${line}`),
    }));
    const loops = runtimes.map((r) => r.start());
    let lastRound = -1;
    for (;;) {
      await coordinatorTick(ctx, { rpcUrl: anvil.rpcUrl, taskManager: chain.addr.tasks });
      const run = await db.prisma.trainingRun.findUnique({ where: { jobId: job.id } });
      if (run && run.round !== lastRound) {
        lastRound = run.round;
        const prev = await db.prisma.round.findFirst({ where: { jobId: job.id, status: "aggregated" }, orderBy: { round: "desc" } });
        if (prev) log(`round ${prev.round} aggregated: train loss ${prev.trainLoss?.toFixed(4)}, held-out loss ${prev.heldOutLoss?.toFixed(4)}, acc ${((prev.heldOutAccuracy ?? 0) * 100).toFixed(2)} % (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      }
      if (run?.status === "completing" || run?.status === "completed") break;
      await new Promise((r) => setTimeout(r, 250));
    }
    await Promise.all(runtimes.map((r) => r.stop()));
    await Promise.all(loops);
    const final = await db.prisma.round.findFirstOrThrow({ where: { jobId: job.id, status: "aggregated" }, orderBy: { round: "desc" } });
    const networkAcc = (final.heldOutAccuracy ?? NaN) * 100;
    log(`network: ${((Date.now() - t0) / 1000).toFixed(0)} s, ${runtimes.reduce((a, r) => a + r.snapshot.fragmentsDone, 0)} fragments`);

    // Single process: plain SGD over all 8,000 rows, the same number of samples.
    const row = await db.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    const spec = specOf(row);
    const mlp: MlpSpec = mlpOf(spec);
    const store = fsBlobStore(blobDir);
    const parts = await Promise.all(spec.shards.map(async (s) => normalisedShard((await store.get(s.sha256))!, spec.dataset.mean, spec.dataset.std)));
    const features = new Float32Array(parts.reduce((a, p) => a + p.features.length, 0));
    const labels = new Uint32Array(parts.reduce((a, p) => a + p.labels.length, 0));
    let f = 0;
    let l = 0;
    for (const p of parts) {
      features.set(p.features, f);
      labels.set(p.labels, l);
      f += p.features.length;
      l += p.labels.length;
    }
    const heldOut = normalisedShard((await store.get(spec.heldOut.sha256))!, spec.dataset.mean, spec.dataset.std);
    const t1 = Date.now();
    const trainer = new WasmTrainer(await WasmKernels.create(), mlp, hyper.batch);
    trainer.setShard({ features, labels });
    trainer.setWeights(initWeights(mlp, hyper.seed));
    const steps = rounds * hyper.shards * hyper.localSteps;
    trainer.run(batchIndices(hyper.seed, labels.length, steps, hyper.batch), hyper.learningRate);
    const single = evaluate(mlp, trainer.weights(), heldOut).accuracy * 100;
    log(`single process: ${steps} steps of batch ${hyper.batch} in ${((Date.now() - t1) / 1000).toFixed(0)} s`);

    console.log(`held-out accuracy network ${networkAcc.toFixed(2)}%`);
    console.log(`held-out accuracy single-process ${single.toFixed(2)}%`);
    console.log(`gap ${(single - networkAcc).toFixed(2)} points`);
  } finally {
    for (const s of stops) await s().catch(() => undefined);
    await db.drop();
    await anvil.stop();
    await rm(blobDir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
