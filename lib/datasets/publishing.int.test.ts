import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zeroAddress, type Abi, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { fsBlobStore } from "@/lib/blobs/fs-store";
import { runIndexer } from "@/lib/indexer/indexer";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { APP, noCtx, params, req, useAppEnv } from "@/test/support/app-env";
import { connectChain, type ChainCtx } from "@/test/support/chain-workload";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { signInCookie } from "@/test/support/sign-in";

// Publishing (issue 24): an upload published with a title, Markdown, an SPDX licence and a fee share;
// the catalogue; unlisting (the provider only); a job's spec naming the provider and share; an unlisted
// dataset refused to new jobs while a job already on it keeps training.
type Entry = { id: string; sha256: string; title: string; provider: string; license: string; feeBps: number; listed: boolean; jobsTrained: number; kind: string; rows: number; columns: number | null; supersedes: string | null; supersededBy: string | null };
type Detail = Entry & { description: string; profile: { kind: string; columns: { name: string; type: string; min: number | null; max: number | null; missing: number }[]; preview: { header: string[]; rows: string[][] } }; versions: { id: string }[]; jobs: { id: string }[]; earnings: { paid: string; pending: string } };
type ApiErr = { error: { code: string; message: string; details?: { path: string; message: string }[] } };

describe("datasets: publishing, the catalogue, unlisting (Postgres + anvil)", () => {
  let anvil: AnvilInstance;
  let db: TestDatabase;
  let chain: ChainCtx;
  let blobDir: string;
  const provider = privateKeyToAccount(generatePrivateKey());
  const initiator = privateKeyToAccount(generatePrivateKey());
  let cookies: Record<"provider" | "initiator", string>;
  let routes: {
    datasets: typeof import("@/app/api/datasets/route");
    dataset: typeof import("@/app/api/datasets/[id]/route");
    publish: typeof import("@/app/api/datasets/[id]/publish/route");
    listing: typeof import("@/app/api/datasets/[id]/listing/route");
    earnings: typeof import("@/app/api/datasets/earnings/route");
    jobs: typeof import("@/app/api/jobs/route");
  };
  const index = () => runIndexer({ prisma: db.prisma, rpcUrl: anvil.rpcUrl, chainId: 31337, contracts: chain.contracts, stopAtHead: true, log: () => {} });

  beforeAll(async () => {
    anvil = await startAnvil();
    db = await createTestDatabase();
    chain = await connectChain(anvil.rpcUrl);
    blobDir = await mkdtemp(path.join(tmpdir(), "corex-publish-"));
    useAppEnv({ DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, CHAIN_ID: "31337", BLOB_STORE: "fs", BLOB_DIR: blobDir });
    routes = {
      datasets: await import("@/app/api/datasets/route"),
      dataset: await import("@/app/api/datasets/[id]/route"),
      publish: await import("@/app/api/datasets/[id]/publish/route"),
      listing: await import("@/app/api/datasets/[id]/listing/route"),
      earnings: await import("@/app/api/datasets/earnings/route"),
      jobs: await import("@/app/api/jobs/route"),
    };
    cookies = { provider: await signInCookie(provider), initiator: await signInCookie(initiator) };
    for (const a of [provider, initiator]) await chain.client.setBalance({ address: a.address, value: 10n ** 19n });
  });
  afterAll(async () => {
    await db?.drop();
    await anvil?.stop();
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  });

  const csv = ["x1,x2,kind", ...Array.from({ length: 40 }, (_, i) => `${i % 7},${(i * 0.25).toFixed(2)},${i % 3 ? "blue" : "red"}`)].join("\n");
  const upload = async (who: keyof typeof cookies = "provider", body = csv) => {
    const form = new FormData();
    form.append("label", "kind");
    form.append("file", new Blob([body], { type: "text/csv" }), "colours.csv");
    const res = await routes.datasets.POST(new Request(`${APP}/api/datasets`, { method: "POST", body: form, headers: { cookie: cookies[who] } }), noCtx);
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const terms = { title: "Colours", description: "# Colours\n\nTwo columns and a **label**.", license: "CC-BY-4.0", feeBps: 1000 };
  const publish = (id: string, json: unknown, who: keyof typeof cookies = "provider") =>
    routes.publish.POST(req(`/api/datasets/${id}/publish`, { method: "POST", json, cookie: cookies[who] }), params({ id }));
  const unlist = (id: string, who: keyof typeof cookies) => routes.listing.DELETE(req(`/api/datasets/${id}/listing`, { method: "DELETE", cookie: cookies[who] }), params({ id }));
  const catalogue = async (query = "") => (await (await routes.datasets.GET(req(`/api/datasets${query}`), noCtx)).json()) as { datasets: Entry[]; total: number };
  const detail = async (id: string) => (await (await routes.dataset.GET(req(`/api/datasets/${id}`), params({ id }))).json()) as Detail;
  const newJob = (dataset: string) =>
    routes.jobs.POST(req("/api/jobs", { method: "POST", cookie: cookies.initiator, json: { dataset, model: { hidden: [4] }, hyper: { rounds: 1, shards: 2, localSteps: 1, batch: 8, seed: 5 }, spotCheckRate: 0 } }), noCtx);
  /** createTask as the deployed TaskManager takes it: with the provider and its share once contracts carry them (issue 24). */
  const createTask = async (from: PrivateKeyAccount, job: { specHash: Hex; fragmentCount: number; spec: { dataset: { provider?: string; feeBps?: number } } }) => {
    const inputs = (taskManagerAbi as Abi).flatMap((f) => (f.type === "function" && f.name === "createTask" ? [f.inputs.length] : []))[0];
    const d = job.spec.dataset;
    const args = inputs === 6 ? [job.specHash, job.fragmentCount, 0n, 0, d.provider ?? zeroAddress, d.feeBps ?? 0] : [job.specHash, job.fragmentCount, 0n, 0];
    const hash = await chain.client.writeContract({ account: from, chain: chain.client.chain, address: chain.addr.tasks, abi: taskManagerAbi as Abi, functionName: "createTask", args });
    expect((await chain.client.waitForTransactionReceipt({ hash })).status).toBe("success");
  };
  const countFiles = async (dir: string): Promise<number> => {
    let n = 0;
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) n += e.isDirectory() ? await countFiles(path.join(dir, e.name)) : 1;
    return n;
  };

  it("refuses a licence outside SPDX, a fee share out of range, an over-long description: 400 naming the field, nothing stored", async () => {
    const id = await upload();
    const before = await db.prisma.dataset.findUniqueOrThrow({ where: { id } });
    const files = await countFiles(blobDir);
    const cases: [unknown, string][] = [
      [{ ...terms, license: "Free-For-All-1.0" }, "license"],
      [{ ...terms, feeBps: 3001 }, "feeBps"],
      [{ ...terms, feeBps: -1 }, "feeBps"],
      [{ ...terms, feeBps: 12.5 }, "feeBps"],
      [{ ...terms, description: "é".repeat(10 * 1024 + 1) }, "description"],
      [{ ...terms, title: "  " }, "title"],
      [{ ...terms, supersedes: "00000000-0000-4000-8000-00000000abcd" }, "supersedes"],
      [{ ...terms, price: 3 }, ""],
    ];
    for (const [json, field] of cases) {
      const res = await publish(id, json);
      expect(res.status, JSON.stringify(json).slice(0, 80)).toBe(400);
      const { error } = (await res.json()) as ApiErr;
      expect(error.code).toBe("validation_failed");
      if (field) {
        expect(error.details?.map((d) => d.path)).toContain(field);
        expect(error.message).toContain(field);
      }
    }
    expect(await db.prisma.dataset.findUniqueOrThrow({ where: { id } })).toEqual(before);
    expect(await countFiles(blobDir)).toBe(files);
    expect((await catalogue()).total).toBe(0);
    // 20 KB exactly is allowed; a licence in other case is stored as the SPDX list spells it.
    const ok = await publish(id, { ...terms, license: "cc-by-4.0", description: "a".repeat(20 * 1024) });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as Detail).license).toBe("CC-BY-4.0");
  });

  it("publishes once: the catalogue entry has the terms, the schema and preview; a second publish is 409; someone else's upload is 403", async () => {
    const id = await upload();
    expect((await publish(id, terms, "initiator")).status).toBe(403);
    const res = await publish(id, terms);
    expect(res.status).toBe(201);
    const d = (await res.json()) as Detail;
    expect(d).toMatchObject({ title: "Colours", provider: provider.address.toLowerCase(), license: "CC-BY-4.0", feeBps: 1000, listed: true, kind: "table", rows: 40, columns: 3, jobsTrained: 0 });
    expect(d.description).toContain("**label**");
    expect(d.profile.columns.map((c) => [c.name, c.type])).toEqual([["x1", "integer"], ["x2", "number"], ["kind", "label"]]);
    expect(d.profile.columns[0]).toMatchObject({ min: 0, max: 6, missing: 0 });
    expect(d.profile.preview.rows[1]).toEqual(["1", "0.25", "blue"]);
    expect(d.earnings).toEqual({ paid: "0", pending: "0", claimable: "0", accruing: "0" });
    const again = await publish(id, { ...terms, feeBps: 0 });
    expect(again.status).toBe(409);
    expect((await detail(id)).feeBps).toBe(1000);
  });

  it("a new version links the one it supersedes, and the lineage runs both ways", async () => {
    const [v1] = (await catalogue("?q=colours&sort=newest")).datasets.slice(-1);
    const v2 = await upload("provider", csv + "\n9,9,red");
    const res = await publish(v2, { ...terms, title: "Colours v2", supersedes: v1!.id });
    expect(res.status).toBe(201);
    expect((await detail(v2)).versions.map((v) => v.id)).toEqual([v1!.id, v2]);
    expect((await detail(v1!.id)).supersededBy).toBe(v2);
    // someone else's dataset cannot be superseded
    const other = await upload("initiator");
    const refused = await publish(other, { ...terms, supersedes: v2 }, "initiator");
    expect(refused.status).toBe(400);
  });

  it("searches titles, filters by kind and licence, pages", async () => {
    expect((await catalogue("?q=v2")).datasets.map((d) => d.title)).toEqual(["Colours v2"]);
    expect((await catalogue("?kind=text")).total).toBe(0);
    expect((await catalogue("?kind=table&license=cc-by-4.0")).total).toBe(3);
    expect((await catalogue("?license=MIT")).total).toBe(0);
    const page = await catalogue("?limit=2&page=2");
    expect(page).toMatchObject({ total: 3 });
    expect(page.datasets).toHaveLength(1);
    expect((await routes.datasets.GET(req("/api/datasets?sort=price"), noCtx)).status).toBe(400);
    // scope=mine is the New job form's list: built-ins and the caller's uploads
    const mine = (await (await routes.datasets.GET(req("/api/datasets?scope=mine", { cookie: cookies.initiator }), noCtx)).json()) as { datasets: { source: string }[] };
    expect(mine.datasets.filter((d) => d.source === "upload")).toHaveLength(1);
  });

  it("a job on a published dataset names its content hash, provider and fee share in its spec; another account cannot unlist it (403)", async () => {
    const { datasets } = await catalogue("?q=v2");
    const id = datasets[0]!.id;
    const res = await newJob(id);
    expect(res.status).toBe(201);
    const job = (await res.json()) as { specHash: Hex; fragmentCount: number; canonicalSpec: string; spec: { dataset: { sha256: string; provider: string; feeBps: number } } };
    expect(job.spec.dataset).toMatchObject({ sha256: (await detail(id)).sha256, provider: provider.address.toLowerCase(), feeBps: 1000 });
    expect(job.canonicalSpec).toContain(`"feeBps":1000`);
    const refused = await unlist(id, "initiator");
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ApiErr).error.code).toBe("forbidden");
    expect((await detail(id)).listed).toBe(true);
  });

  it("an unlisted dataset cannot be chosen by a new job, but a job already on it keeps training", async () => {
    const { datasets } = await catalogue("?q=v2");
    const id = datasets[0]!.id;
    const created = await newJob(id);
    const job = (await created.json()) as { id: string; specHash: Hex; fragmentCount: number; spec: { dataset: { provider?: string; feeBps?: number } } };
    await createTask(initiator, job);
    await index();

    const res = await unlist(id, "provider");
    expect(res.status).toBe(200);
    expect(((await res.json()) as Entry).listed).toBe(false);
    expect((await catalogue("?q=v2")).total).toBe(0);
    expect((await detail(id)).listed).toBe(false); // its page stays, for the jobs that link to it

    const refused = await newJob(id);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as ApiErr).error.code).toBe("dataset_unlisted");

    // the old job: its task activates it and the coordinator starts its training run, round 0 open
    const sch = await import("@/lib/scheduler");
    await sch.coordinatorTick({ db: db.prisma, store: fsBlobStore(blobDir), chainId: 31337 }, { rpcUrl: anvil.rpcUrl, taskManager: chain.addr.tasks });
    expect(await db.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "active" });
    expect(await db.prisma.trainingRun.findUniqueOrThrow({ where: { jobId: job.id } })).toMatchObject({ status: "training" });
    expect(await db.prisma.fragment.count({ where: { jobId: job.id, round: 0 } })).toBe(2);
    expect((await detail(id)).jobs.map((j) => j.id)).toContain(job.id);
    expect((await detail(id)).jobsTrained).toBe(1);
  });

  it("earnings: per dataset and in total for the provider (zero before any payout); 401 without a session or a provider", async () => {
    const res = await routes.earnings.GET(req("/api/datasets/earnings", { cookie: cookies.provider }), noCtx);
    const e = (await res.json()) as { provider: string; total: { paid: string; pending: string }; datasets: { id: string; listed: boolean }[] };
    expect(e.provider).toBe(provider.address.toLowerCase());
    expect(e.datasets).toHaveLength(3);
    expect(e.total).toEqual({ paid: "0", pending: "0", claimable: "0", accruing: "0" });
    expect(e).toMatchObject({ taskIds: ["1"] }); // the unfunded job on "Colours": its fee leaves (none) are what Claim would claim
    expect((await routes.earnings.GET(req("/api/datasets/earnings"), noCtx)).status).toBe(401);
    expect((await routes.earnings.GET(req(`/api/datasets/earnings?provider=${provider.address}`), noCtx)).status).toBe(200);
  });

  it("npm run dev's seed publishes one dataset from a second account, once", async () => {
    const { seedDemoDataset, DEMO_PROVIDER_INDEX } = await import("@/scripts/seed");
    const fresh = await createTestDatabase();
    try {
      const logs: string[] = [];
      await seedDemoDataset({ databaseUrl: fresh.url, rpcUrl: anvil.rpcUrl, blobDir, log: (l) => logs.push(l) });
      await seedDemoDataset({ databaseUrl: fresh.url, rpcUrl: anvil.rpcUrl, blobDir, log: (l) => logs.push(l) });
      const rows = await fresh.prisma.dataset.findMany({ where: { publishedAt: { not: null } } });
      expect(rows).toHaveLength(1);
      const provider = (await chain.client.getAddresses())[DEMO_PROVIDER_INDEX]!;
      expect(rows[0]).toMatchObject({ title: "Two moons", license: "CC0-1.0", feeBps: 500, owner: provider.toLowerCase(), rows: 600, features: 2, classes: 2 });
      expect(logs[1]).toMatch(/skipping/);
    } finally {
      await fresh.drop();
    }
  });

  it("answers 404 for an unknown or unpublished dataset and 400 for a malformed id", async () => {
    const unpublished = await upload("initiator");
    expect((await routes.dataset.GET(req(`/api/datasets/${unpublished}`), params({ id: unpublished }))).status).toBe(404);
    expect((await routes.dataset.GET(req("/api/datasets/nope"), params({ id: "nope" }))).status).toBe(400);
    expect((await unlist("00000000-0000-4000-8000-00000000abcd", "provider")).status).toBe(404);
  });
});
