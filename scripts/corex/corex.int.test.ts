import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEther, type Abi } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { stakingAbi } from "@/contracts-abi/staking";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { fsBlobStore } from "@/lib/blobs/fs-store";
import { runIndexer } from "@/lib/indexer/indexer";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { useAppEnv } from "@/test/support/app-env";
import { connectChain, Workload, type ChainCtx } from "@/test/support/chain-workload";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { serveRoutes, type RouteTable } from "@/test/support/route-server";

type Run = { code: number | null; stdout: string; stderr: string };

// An initiator's whole session with the `corex` command, as real processes against the real API (the
// app's route handlers over HTTP, Postgres, anvil with the contracts): it signs in with a key file,
// uploads a CSV, creates and funds a job (approve + createTask from its wallet), watches it train to
// completion while a CLI worker (another operator's node) computes it and the coordinator aggregates,
// and downloads the model.
describe("corex: login, upload, create + fund, watch, download (Postgres + anvil + HTTP + CLI worker)", () => {
  let anvil: AnvilInstance;
  let db: TestDatabase;
  let chain: ChainCtx;
  let dir: string;
  let server: { url: string; close(): Promise<void> };
  let sch: typeof import("@/lib/scheduler");
  const aliceKey = generatePrivateKey(); // the initiator
  const alice = privateKeyToAccount(aliceKey);
  const bobKey = generatePrivateKey(); // the node operator
  const bob = privateKeyToAccount(bobKey);
  let aliceKeyFile: string;
  let nodeId: string;
  let aliceCxt: bigint;

  const index = () => runIndexer({ prisma: db.prisma, rpcUrl: anvil.rpcUrl, chainId: 31337, contracts: chain.contracts, stopAtHead: true, log: () => {} });

  beforeAll(async () => {
    anvil = await startAnvil();
    db = await createTestDatabase();
    chain = await connectChain(anvil.rpcUrl);
    dir = await mkdtemp(path.join(tmpdir(), "corex-cli-"));
    // the CLI finds the contracts as a user's checkout would: the deployment file of the chain
    await writeFile(path.join(dir, "31337.json"), JSON.stringify(chain.deployment));
    useAppEnv({ DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, CHAIN_ID: "31337", BLOB_STORE: "fs", BLOB_DIR: path.join(dir, "blobs"), DEPLOYMENTS_DIR: dir });
    sch = await import("@/lib/scheduler");
    const id = "([0-9a-f-]{36})";
    const r = {
      nonce: await import("@/app/api/auth/nonce/route"),
      verify: await import("@/app/api/auth/verify/route"),
      session: await import("@/app/api/auth/session/route"),
      datasets: await import("@/app/api/datasets/route"),
      jobs: await import("@/app/api/jobs/route"),
      job: await import("@/app/api/jobs/[id]/route"),
      proof: await import("@/app/api/jobs/[id]/proof/route"),
      models: await import("@/app/api/models/route"),
      modelRoute: await import("@/app/api/models/[id]/route"),
      weights: await import("@/app/api/models/[id]/weights/route"),
      claim: await import("@/app/api/fragments/claim/route"),
      heartbeat: await import("@/app/api/fragments/[id]/heartbeat/route"),
      result: await import("@/app/api/fragments/[id]/result/route"),
      abandon: await import("@/app/api/fragments/[id]/abandon/route"),
      blob: await import("@/app/api/blobs/[sha256]/route"),
    };
    const routes: RouteTable = [
      ["GET", /^\/api\/auth\/nonce$/, r.nonce.GET as never],
      ["POST", /^\/api\/auth\/verify$/, r.verify.POST as never],
      ["GET", /^\/api\/auth\/session$/, r.session.GET as never],
      ["GET", /^\/api\/datasets$/, r.datasets.GET as never],
      ["POST", /^\/api\/datasets$/, r.datasets.POST as never],
      ["GET", /^\/api\/jobs$/, r.jobs.GET as never],
      ["POST", /^\/api\/jobs$/, r.jobs.POST as never],
      ["GET", new RegExp(`^/api/jobs/${id}$`), r.job.GET as never],
      ["GET", new RegExp(`^/api/jobs/${id}/proof$`), r.proof.GET as never],
      ["GET", /^\/api\/models$/, r.models.GET as never],
      ["GET", /^\/api\/models\/([^/]+)$/, r.modelRoute.GET as never],
      ["GET", /^\/api\/models\/([^/]+)\/weights$/, r.weights.GET as never],
      ["POST", /^\/api\/fragments\/claim$/, r.claim.POST as never],
      ["POST", new RegExp(`^/api/fragments/${id}/heartbeat$`), r.heartbeat.POST as never],
      ["POST", new RegExp(`^/api/fragments/${id}/result$`), r.result.POST as never],
      ["POST", new RegExp(`^/api/fragments/${id}/abandon$`), r.abandon.POST as never],
      ["GET", /^\/api\/blobs\/([0-9a-f]{64})$/, r.blob.GET as never, ["sha256"]],
    ];
    server = await serveRoutes(routes);

    // alice: gas money and CXT (there is no premint: a first epoch claimed by the workload's actors, then
    // half of the richest one's); bob: gas money and a registered node
    await new Workload(chain, 11).bootstrap();
    const held = await Promise.all(chain.accounts.map(async (a) => ({ a, cxt: await chain.read<bigint>(chain.addr.token, cxtTokenAbi as Abi, "balanceOf", [a]) })));
    const rich = held.reduce((x, y) => (y.cxt > x.cxt ? y : x));
    expect(rich.cxt).toBeGreaterThanOrEqual(parseEther("4"));
    for (const a of [alice.address, bob.address]) await chain.client.setBalance({ address: a, value: 10n ** 19n });
    await chain.tx(rich.a, chain.addr.token, cxtTokenAbi as Abi, "transfer", [alice.address, rich.cxt / 2n]);
    aliceCxt = rich.cxt / 2n;
    const hash = await chain.client.writeContract({ account: bob, chain: chain.client.chain, address: chain.addr.staking, abi: stakingAbi, functionName: "registerNode", args: [1, "corex://test/cli-int"] });
    await chain.client.waitForTransactionReceipt({ hash });
    await index();
    nodeId = (await db.prisma.node.findFirstOrThrow({ where: { owner: bob.address.toLowerCase() } })).nodeId.toString();
    aliceKeyFile = path.join(dir, "alice.key");
    await writeFile(aliceKeyFile, `${aliceKey}\n`, { mode: 0o600 });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    await anvil?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** `corex <args>` as a user runs it (node + tsx through the package's bin), its config under the test's folder. */
  function corex(args: string[]) {
    const child = spawn(process.execPath, ["scripts/corex/bin.mjs", "--api", server.url, "--rpc", anvil.rpcUrl, ...args], {
      env: { ...process.env, XDG_CONFIG_HOME: path.join(dir, "config"), DEPLOYMENTS_DIR: dir, COREX_KEY: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += String(d)));
    child.stderr.on("data", (d) => (stderr += String(d)));
    const done = new Promise<Run>((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
    return { child, done, stdout: () => stdout };
  }
  const run = (args: string[]) => corex(args).done;

  it("an initiator trains a model from a CSV with the corex command alone", async () => {
    // 1. login: SIWE with the key file; the session is stored 0600 under $XDG_CONFIG_HOME/corex
    const login = await run(["--json", "login", "--key-file", aliceKeyFile]);
    expect(login.code, login.stderr + login.stdout).toBe(0);
    expect(JSON.parse(login.stdout)).toMatchObject({ address: alice.address, chainId: 31337 });
    const sessions = path.join(dir, "config", "corex", "sessions.json");
    expect((await stat(sessions)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(sessions, "utf8"))[server.url]).toMatchObject({ address: alice.address, cookie: expect.stringMatching(/^corex_session=/) });

    // a refusal carries the API's code and message (and changes nothing)
    const bad = await run(["--json", "jobs", "create", "--dataset", "no-such-dataset"]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error).toMatchObject({ code: expect.stringMatching(/dataset_not_found|validation_failed/), status: expect.any(Number) });

    // 2. upload a CSV: 3 well-separated classes, 4 features
    const rows = ["a,b,c,d,species"];
    for (let i = 0; i < 90; i++) {
      const k = i % 3;
      rows.push([0, 1, 2, 3].map((f) => (k * 3 + f * 0.1 + ((i * 7 + f * 13) % 10) / 20).toFixed(2)).join(",") + `,${["x", "y", "z"][k]}`);
    }
    const csv = path.join(dir, "flowers.csv");
    await writeFile(csv, rows.join("\n") + "\n");
    const up = await run(["--json", "datasets", "upload", csv]);
    expect(up.code, up.stderr + up.stdout).toBe(0);
    const dataset = JSON.parse(up.stdout) as { id: string; rows: number; features: number; classes: number; labelColumn: string };
    expect(dataset).toMatchObject({ features: 4, classes: 3, labelColumn: "species" });

    // 3. create and fund: approve 1 CXT + createTask from alice's wallet; prints the spec hash
    const created = await run(["--json", "--key-file", aliceKeyFile, "jobs", "create", "--dataset", dataset.id, "--model", "mlp:8:tanh", "--rounds", "2", "--shards", "2", "--local-steps", "10", "--batch", "8", "--seed", "3", "--redundancy", "1", "--fee", "1", "--fund"]);
    expect(created.code, created.stderr + created.stdout).toBe(0);
    const job = JSON.parse(created.stdout) as { id: string; specHash: string; approveTx: string | null; createTaskTx: string };
    expect(job.approveTx).toMatch(/^0x[0-9a-f]{64}$/);
    expect(job.specHash).toBe((await db.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).specHash);
    const tasks = await chain.client.getContractEvents({ address: chain.addr.tasks, abi: taskManagerAbi, eventName: "TaskCreated", fromBlock: 0n });
    expect(tasks.map((e) => (e.args as { specHash: string }).specHash)).toContain(job.specHash);
    expect(await chain.client.readContract({ address: chain.addr.token, abi: cxtTokenAbi, functionName: "balanceOf", args: [alice.address] })).toBe(aliceCxt - parseEther("1"));

    // 4. watch it to completion while bob's CLI worker computes and the coordinator indexes, verifies, aggregates, completes
    const watch = corex(["--json", "jobs", "watch", job.id, "--interval", "500", "--timeout", "240"]);
    const worker = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts", "--key", bobKey, "--api", server.url, "--node", nodeId, "--chain-id", "31337", "--poc", "0", "--idle", "200", "--cache", path.join(dir, "worker-cache")], { stdio: ["ignore", "pipe", "pipe"] });
    let workerOut = "";
    worker.stdout.on("data", (d) => (workerOut += String(d)));
    worker.stderr.on("data", (d) => (workerOut += String(d)));
    let coordinating = true;
    const coordinator = (async () => {
      while (coordinating) {
        await index();
        await sch.coordinatorTick({ db: db.prisma, store: fsBlobStore(path.join(dir, "blobs")), chainId: 31337 }, { rpcUrl: anvil.rpcUrl, taskManager: chain.addr.tasks });
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    let watched: Run;
    try {
      watched = await watch.done;
    } finally {
      coordinating = false;
      await coordinator;
      worker.kill("SIGINT");
      await new Promise((r) => worker.once("exit", r));
    }
    expect(watched.code, `${watched.stderr}\n${watched.stdout}\nworker:\n${workerOut}`).toBe(0);
    const events = watched.stdout.trim().split("\n").map((l) => JSON.parse(l) as { event: string; status?: string; round?: number; done?: number; total?: number; loss?: number | null });
    expect(events.filter((e) => e.event === "status").map((e) => e.status)).toContain("completed");
    const roundsSeen = events.filter((e) => e.event === "round");
    expect(roundsSeen.some((e) => e.round === 1 && e.done === 2 && e.total === 2 && typeof e.loss === "number")).toBe(true);
    expect(events.at(-1)).toEqual({ event: "end", jobId: job.id, status: "completed" });
    expect(workerOut).toMatch(/submitted|fragments submitted/);

    // 5. download the model by the job's id: the registry's entry for the job, its sha-256 checked
    const out = path.join(dir, "model.safetensors");
    const dl = await run(["--json", "models", "download", job.id, "--out", out]);
    expect(dl.code, dl.stderr + dl.stdout).toBe(0);
    const bytes = await readFile(out);
    const model = await db.prisma.model.findUniqueOrThrow({ where: { jobId: job.id } });
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(model.sha256);
    expect(JSON.parse(dl.stdout)).toMatchObject({ id: job.id, file: out, bytes: bytes.length, sha256: model.sha256 });
    // the safetensors file carries the job's final weights hash (the proof's last link)
    const run0 = await db.prisma.trainingRun.findUniqueOrThrow({ where: { jobId: job.id } });
    expect(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString()).toContain(run0.finalWeightsSha256!);
    // a second download does not overwrite without --force
    expect((await run(["models", "download", job.id, "--out", out])).code).toBe(1);
  }, 400_000);
});
