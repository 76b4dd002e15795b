/**
 * `npm run bench:quality`: two demo jobs (lib/jobs/demo.ts, the ones `npm run dev` seeds) trained through
 * the real coordinator — Postgres, anvil with the contracts, the fragments API's route handlers over HTTP,
 * the coordinator's verification and outer (Nesterov) aggregation — by CPU workers (lib/worker on
 * WebAssembly, one node each), each beside the same model trained in one process in the same run. The
 * names job runs with redundancy 1 and no spot checks; the MNIST job with k = 2 and adaptive replication
 * (ADAPTIVE below), and prints `compute overhead x` (worker computations + CPU-reference runs per
 * accepted fragment). Last, the MNIST job again on three fresh nodes, one of them Byzantine (a perturbed
 * delta on every fragment): `held-out accuracy network with a byzantine worker x%` and
 * `byzantine accepted n, byzantine faulted m, compute overhead x`.
 *
 * MNIST (8,000 train / 2,000 held out, MLP 784-128-10, ReLU): the single process runs plain SGD on the
 * same number of samples (same batch, learning rate, seed and data). Prints `held-out accuracy network x%`,
 * `held-out accuracy single-process y%`, `gap y − x points`.
 *
 * Names language model (DEMO_NAMES_JOB: GPT 2 layers, 4 heads, dim 64, context 16): the network's figure is
 * the validation loss the coordinator records for the last aggregated round (evaluateGpt on the job's
 * held-out windows, nats per character). The single process is the equivalence chosen here: **one long
 * AdamW run of the same total steps** — R·S·K steps at batch B over the concatenation of the job's S
 * training shards (exactly the job's training windows), batch order batchIndices(job seed, windows,
 * R·S·K, B), the job's learning rate (constant, as in a fragment), the job's initial weights
 * (initGptWeights(spec, seed)), AdamW with the job's β1/β2/ε/weight decay/clipping, one set of moments
 * carried through the whole run (the network restarts them in every fragment; see docs/concepts/jobs-and-datasets.md →
 * Language-model jobs), no outer optimizer. It is evaluated on the same held-out windows with the same evaluator. The
 * bigram is the add-α count model (lib/datasets/text/bigram.ts, α = 1) fitted on the job's training stream
 * (its stored corpus tokenised with the spec's vocabulary, as the job creator did), scored on the same
 * held-out windows' targets. Prints `validation loss network|single-process|bigram <x> nats` and
 * `lm gap <p>%` = (network − single) / single × 100.
 *
 * Flags: --only mlp|lm (one job; both by default), --rounds R (both jobs; defaults: the MNIST demo's 40 and
 * the names schedule's 20), --lm-rounds R (the names job only), --lm-demo (the names demo's own schedule),
 * --lm-floor (also the single process's validation curve over 2.5× the steps, evaluated every 250 steps:
 * the best loss this model reaches on this split with this optimizer, printed as
 * `validation loss floor single-process <x> nats at step <n> (<r>× bigram)`), --workers N (default 3),
 * --quick (R = 2 for both, to check the plumbing).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { stakingAbi } from "@/contracts-abi/staking";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { batchIndices, evaluate, evaluateGptWasm, GptWasmTrainer, initGptWeights, initWeights, WasmKernels, WasmTrainer, type MlpSpec } from "@/lib/compute";
import { fsBlobStore } from "@/lib/blobs";
import { bigramWindowsLoss, createTokenizer, fitBigram, loadCorpus } from "@/lib/datasets";
import { DEMO_MNIST_JOB, DEMO_NAMES_JOB } from "@/lib/jobs";
import { runIndexer } from "@/lib/indexer";
import { gptOf, mlpOf, normalisedShard, specOf, tokenShard, type TrainingSpec } from "@/lib/protocol";
import type { VerificationOptions } from "@/lib/scheduler";
import { httpWorkerApi, memoryBlobCache, wasmBackend, WorkerRuntime } from "@/lib/worker";
import { startAnvil } from "@/test/support/anvil";
import { noCtx, req, useAppEnv as setAppEnv } from "@/test/support/app-env";
import { connectChain } from "@/test/support/chain-workload";
import { createTestDatabase } from "@/test/support/db";
import { serveRoutes } from "@/test/support/route-server";
import { signInCookie } from "@/test/support/sign-in";

const { values } = parseArgs({
  options: { rounds: { type: "string" }, "lm-rounds": { type: "string" }, "lm-demo": { type: "boolean" }, "lm-floor": { type: "boolean" }, workers: { type: "string" }, quick: { type: "boolean" }, only: { type: "string" } },
});
if (values.only !== undefined && values.only !== "mlp" && values.only !== "lm") throw new Error(`--only ${values.only}: expected mlp or lm`);
const runMlp = values.only !== "lm";
const runLm = values.only !== "mlp";
const roundsFlag = (own: string | undefined, fallback: number) => (values.quick ? 2 : Number(own ?? values.rounds ?? fallback));
const workers = Number(values.workers ?? 3);
// Adaptive replication as bench:quality runs it for MNIST (docs/concepts/verification.md → Adaptive replication): k = 2 for a
// node until 10 of its results are accepted, then k = 1 with a spot check whose probability falls from 1
// to the 5 % floor as its record grows; each fragment's second replica is issued only when needed.
const ADAPTIVE = { adaptiveMinValid: 10, adaptiveSpotCheckFloor: 0.05, lazyReplicas: true } as const;
// The demo job's tuned hyper-parameters (lib/jobs/demo.ts): 8 shards × 20 steps × batch 32 = 5,120
// samples a round; 40 rounds ≈ 25.6 epochs of the 8,000 rows.
const mnistHyper = { ...DEMO_MNIST_JOB.hyper, rounds: roundsFlag(undefined, DEMO_MNIST_JOB.hyper.rounds) };
// The names job: the demo's model, optimizer, learning rates and seed on the bench's schedule, S = 2 shards ×
// K = 50 AdamW steps × batch B = 32 windows a round for 20 rounds: 2,000 steps ≈ 19 epochs of the 3,328
// training windows, where one process's validation loss bottoms out (docs/development/benchmarks/quality.md, --lm-floor).
// The demo's own schedule (4 × 25 × 16 for 10 rounds) is 4× less training; --lm-demo runs it instead.
const NAMES_BENCH_SCHEDULE = { rounds: 20, shards: 2, localSteps: 50, batch: 32 } as const;
const namesBase = values["lm-demo"] ? DEMO_NAMES_JOB.hyper : { ...DEMO_NAMES_JOB.hyper, ...NAMES_BENCH_SCHEDULE };
const namesHyper = { ...namesBase, rounds: roundsFlag(values["lm-rounds"], namesBase.rounds) };
const log = (s: string) => console.log(`[quality] ${s}`);
const secs = (t: number) => ((Date.now() - t) / 1000).toFixed(0);

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
    const store = fsBlobStore(blobDir);
    const ctx = { db: db.prisma, store, chainId: 31337 };

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
    await index();
    const nodes = await db.prisma.node.findMany({ orderBy: { nodeId: "asc" } });
    const nodeOf = (o: { address: string }) => nodes.find((n) => n.owner === o.address.toLowerCase())!.nodeId;

    type Verification = { redundancy: number; tick?: VerificationOptions; crew?: typeof owners; byzantine?: (typeof owners)[number] };
    /**
     * Creates the job and its funded task, trains it to completion with the CPU workers (`crew`, default
     * every owner; `byzantine` returns a perturbed delta on every fragment); its spec, final round and
     * computations: every delta a worker computed to the end (submitted, or refused because its slot
     * had closed) plus every CPU-reference run of the verification pass (referees and spot checks).
     */
    async function trainThroughNetwork(input: Record<string, unknown>, hyper: { rounds: number; shards: number; localSteps: number; batch: number }, what: string, v: Verification = { redundancy: 1 }) {
      const crew = v.crew ?? owners;
      const res = await jobs.POST(req("/api/jobs", { method: "POST", json: { ...input, hyper, redundancy: v.redundancy, spotCheckRate: 0 }, cookie }), noCtx);
      if (res.status !== 201) throw new Error(`job creation failed: ${res.status} ${await res.text()}`);
      const job = (await res.json()) as { id: string; specHash: Hex; fragmentCount: number };
      const hash = await chain.client.writeContract({ account: creator, chain: chain.client.chain, address: chain.addr.tasks, abi: taskManagerAbi, functionName: "createTask", args: [job.specHash, job.fragmentCount, 0n, 0] });
      await chain.client.waitForTransactionReceipt({ hash });
      await index();
      log(`${what} job ${job.id}: ${hyper.rounds} rounds × ${hyper.shards} shards × ${hyper.localSteps} steps × batch ${hyper.batch}, ${crew.length} CPU workers, k = ${v.redundancy}${v.tick ? " adaptive" : ""}${v.byzantine ? ", one Byzantine" : ""}`);
      const t0 = Date.now();
      const runtimes = crew.map((o, i) => {
        const api = httpWorkerApi({ api: server.url, account: o, nodeId: nodeOf(o), chainId: 31337 });
        return new WorkerRuntime({
          api: o === v.byzantine ? { ...api, submit: (lease, delta, loss) => api.submit(lease, perturbed(delta), loss) } : api,
          backend: wasmBackend(), cache: memoryBlobCache(), idleMs: 100,
          log: (line) => /error/.test(line) && o !== v.byzantine && log(`worker ${i}: ${line}`),
        });
      });
      const loops = runtimes.map((r) => r.start());
      let lastRound = -1;
      let referenceRuns = 0;
      for (;;) {
        referenceRuns += (await coordinatorTick(ctx, { rpcUrl: anvil.rpcUrl, taskManager: chain.addr.tasks }, v.tick)).verification.referenceRuns;
        const run = await db.prisma.trainingRun.findUnique({ where: { jobId: job.id } });
        if (run && run.round !== lastRound) {
          lastRound = run.round;
          const prev = await db.prisma.round.findFirst({ where: { jobId: job.id, status: "aggregated" }, orderBy: { round: "desc" } });
          const acc = prev?.heldOutAccuracy == null ? "" : `, acc ${(prev.heldOutAccuracy * 100).toFixed(2)} %`;
          if (prev) log(`round ${prev.round} aggregated: train loss ${prev.trainLoss?.toFixed(4)}, held-out loss ${prev.heldOutLoss?.toFixed(4)}${acc} (${secs(t0)} s)`);
        }
        if (run?.status === "completing" || run?.status === "completed") break;
        await new Promise((r) => setTimeout(r, 250));
      }
      await Promise.all(runtimes.map((r) => r.stop()));
      await Promise.all(loops);
      const final = await db.prisma.round.findFirstOrThrow({ where: { jobId: job.id, status: "aggregated" }, orderBy: { round: "desc" } });
      const computed = runtimes.reduce((a, r) => a + r.snapshot.fragmentsDone + r.snapshot.fragmentsDropped, 0);
      const accepted = await db.prisma.fragment.count({ where: { jobId: job.id, status: "accepted" } });
      const overhead = (computed + referenceRuns) / accepted;
      log(`${what} network: ${secs(t0)} s, ${computed} worker computations + ${referenceRuns} reference runs for ${accepted} accepted fragments`);
      const spec: TrainingSpec = specOf(await db.prisma.job.findUniqueOrThrow({ where: { id: job.id } }));
      return { spec, final, overhead, jobId: job.id };
    }

    const out: string[] = [];
    if (runMlp) {
      const { spec, final, overhead } = await trainThroughNetwork(DEMO_MNIST_JOB, mnistHyper, "mnist", { redundancy: 2, tick: ADAPTIVE });
      const networkAcc = (final.heldOutAccuracy ?? NaN) * 100;
      // Single process: plain SGD over all 8,000 rows, the same number of samples.
      const mlp: MlpSpec = mlpOf(spec);
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
      const trainer = new WasmTrainer(await WasmKernels.create(), mlp, mnistHyper.batch);
      trainer.setShard({ features, labels });
      trainer.setWeights(initWeights(mlp, mnistHyper.seed));
      const steps = mnistHyper.rounds * mnistHyper.shards * mnistHyper.localSteps;
      trainer.run(batchIndices(mnistHyper.seed, labels.length, steps, mnistHyper.batch), mnistHyper.learningRate);
      const single = evaluate(mlp, trainer.weights(), heldOut).accuracy * 100;
      log(`mnist single process: ${steps} steps of batch ${mnistHyper.batch} in ${secs(t1)} s`);
      out.push(`held-out accuracy network ${networkAcc.toFixed(2)}%`, `held-out accuracy single-process ${single.toFixed(2)}%`, `gap ${(single - networkAcc).toFixed(2)} points`, `compute overhead ${overhead.toFixed(3)}`);
    }
    if (runLm) {
      const { spec, final } = await trainThroughNetwork(DEMO_NAMES_JOB, namesHyper, "names");
      const network = final.heldOutLoss ?? NaN;
      const model = gptOf(spec);
      // The job's training windows: its S shards, concatenated (the seed's permutation, dealt in order).
      const parts = await Promise.all(spec.shards.map(async (s) => tokenShard((await store.get(s.sha256))!, model).tokens));
      const tokens = new Uint32Array(parts.reduce((a, p) => a + p.length, 0));
      for (let at = 0, i = 0; i < parts.length; at += parts[i]!.length, i++) tokens.set(parts[i]!, at);
      const heldOut = Uint32Array.from(tokenShard((await store.get(spec.heldOut.sha256))!, model).tokens);
      const t1 = Date.now();
      const steps = namesHyper.rounds * namesHyper.shards * namesHyper.localSteps;
      const trainer = new GptWasmTrainer(await WasmKernels.create(), model, namesHyper.batch);
      trainer.setShard(tokens);
      trainer.setWeights(initGptWeights(model, namesHyper.seed));
      trainer.run(batchIndices(namesHyper.seed, tokens.length / (model.context + 1), steps, namesHyper.batch), namesHyper.learningRate);
      const single = (await evaluateGptWasm(model, trainer.weights(), heldOut)).loss;
      log(`names single process: ${steps} AdamW steps of batch ${namesHyper.batch} in ${secs(t1)} s`);
      // Bigram on the same split: fitted on the job's training stream (its stored corpus, tokenised with the
      // spec's vocabulary, as the job creator did), scored on the job's held-out windows' targets.
      const corpus = await loadCorpus(store, spec.dataset.sha256);
      const train = createTokenizer(spec.dataset.vocabulary!).encode(corpus.train);
      const bigram = bigramWindowsLoss(fitBigram(train, model.vocab), { tokens: heldOut, rows: heldOut.length / (model.context + 1), width: model.context + 1 });
      log(`names: network / bigram = ${(network / bigram).toFixed(3)} (goal ≤ 0.88)`);
      if (values["lm-floor"]) out.push(await lmFloor(model, tokens, heldOut, Math.ceil(2.5 * steps), bigram));
      out.push(
        `validation loss network ${network.toFixed(4)} nats`,
        `validation loss single-process ${single.toFixed(4)} nats`,
        `validation loss bigram ${bigram.toFixed(4)} nats`,
        `lm gap ${(((network - single) / single) * 100).toFixed(2)}%`,
      );
    }
    // Last, because its Byzantine node ends barred: the MNIST job again, with three fresh nodes (no
    // record yet), one of which perturbs every delta it returns.
    if (runMlp) out.push(...(await byzantineRun()));
    for (const line of out) console.log(line);

    async function byzantineRun(): Promise<string[]> {
      const crew = Array.from({ length: 3 }, () => privateKeyToAccount(generatePrivateKey()));
      for (const o of crew) {
        await chain.client.setBalance({ address: o.address, value: 10n ** 19n });
        const hash = await chain.client.writeContract({ account: o, chain: chain.client.chain, address: chain.addr.staking, abi: stakingAbi, functionName: "registerNode", args: [1, "corex://bench/cpu"] });
        await chain.client.waitForTransactionReceipt({ hash });
      }
      await index();
      nodes.push(...(await db.prisma.node.findMany({ where: { owner: { in: crew.map((o) => o.address.toLowerCase()) } } })));
      const byzantine = crew[2]!;
      const { final, overhead, jobId } = await trainThroughNetwork(DEMO_MNIST_JOB, mnistHyper, "mnist byzantine", { redundancy: 2, tick: ADAPTIVE, crew, byzantine });
      const node = nodeOf(byzantine);
      const accepted = await db.prisma.fragmentResult.count({ where: { jobId, nodeId: node, status: "accepted" } });
      const faulted = await db.prisma.fault.count({ where: { jobId, nodeId: node } });
      return [`held-out accuracy network with a byzantine worker ${((final.heldOutAccuracy ?? NaN) * 100).toFixed(2)}%`, `byzantine accepted ${accepted}, byzantine faulted ${faulted}, compute overhead ${overhead.toFixed(3)}`];
    }
  } finally {
    for (const s of stops) await s().catch(() => undefined);
    await db.drop();
    await anvil.stop();
    await rm(blobDir, { recursive: true, force: true });
  }
}

/**
 * The best validation loss one process reaches: namesHyper's AdamW run (moments carried, as the single
 * process) for `steps` steps, evaluated every 250; past its minimum the 100k-parameter model overfits the
 * 3,328 training windows and the loss rises again.
 */
async function lmFloor(model: ReturnType<typeof gptOf>, tokens: Uint32Array, heldOut: Uint32Array, steps: number, bigram: number): Promise<string> {
  const every = 250;
  const b = namesHyper.batch;
  const trainer = new GptWasmTrainer(await WasmKernels.create(), model, b);
  trainer.setShard(tokens);
  trainer.setWeights(initGptWeights(model, namesHyper.seed));
  const order = batchIndices(namesHyper.seed, tokens.length / (model.context + 1), steps, b);
  let best = { loss: Infinity, step: 0 };
  for (let s = 0; s < steps; s += every) {
    const n = Math.min(every, steps - s);
    trainer.run(order.subarray(s * b, (s + n) * b), namesHyper.learningRate, s);
    const loss = (await evaluateGptWasm(model, trainer.weights(), heldOut)).loss;
    log(`names floor: step ${s + n} validation loss ${loss.toFixed(4)}`);
    if (loss < best.loss) best = { loss, step: s + n };
  }
  return `validation loss floor single-process ${best.loss.toFixed(4)} nats at step ${best.step} (${(best.loss / bigram).toFixed(3)}× bigram)`;
}

/** A Byzantine worker's delta: every value moved by 1 % of the delta's RMS plus a 1.5× scale (far outside the tolerance). */
function perturbed(delta: Float32Array): Float32Array {
  const rms = Math.sqrt(delta.reduce((a, x) => a + x * x, 0) / delta.length) || 1e-3;
  return delta.map((x, i) => 1.5 * x + (i % 2 ? 0.01 : -0.01) * rms);
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
