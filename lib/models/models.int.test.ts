import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { fsBlobStore } from "@/lib/blobs/fs-store";
import { encodeFloat32, initialWeights, specOf } from "@/lib/protocol";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { APP, noCtx, params, req, useAppEnv } from "@/test/support/app-env";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { signInCookie } from "@/test/support/sign-in";
import { expectedTensors, type ModelConfig } from "./config";
import { readSafetensors } from "./safetensors";
import { encodeSafetensors, irisConfig, tensorsFor, tinyGptConfig, type RawTensor } from "./test-fixtures";

const LIMIT = 64 * 1024;
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
type ApiError = { error: { code: string; message: string; details?: Record<string, unknown> } };
type Model = { id: string; name: string; kind: string; source: string; parameters: number; sizeBytes: number; sha256: string; config: ModelConfig; description: string; lineage: Record<string, unknown>; links: Record<string, string | null> };

/** A multipart body with the parts in the given order, as one buffer or streamed chunk by chunk. */
function multipart(parts: [name: string, value: string | Uint8Array][], boundary = "corexModelBoundary"): { body: Uint8Array; type: string } {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const [name, value] of parts) {
    const file = typeof value !== "string";
    chunks.push(enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? '; filename="model.safetensors"\r\nContent-Type: application/octet-stream' : ""}\r\n\r\n`));
    chunks.push(file ? value : enc.encode(value));
    chunks.push(enc.encode("\r\n"));
  }
  chunks.push(enc.encode(`--${boundary}--\r\n`));
  const body = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) body.set(c, (at += c.length) - c.length);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

describe("model registry: completed jobs published, uploads checked as they stream (Postgres + filesystem blob store)", () => {
  let anvil: AnvilInstance;
  let db: TestDatabase;
  let blobDir: string;
  let cookie: string;
  let models: typeof import("@/app/api/models/route");
  let model: typeof import("@/app/api/models/[id]/route");
  let weights: typeof import("@/app/api/models/[id]/weights/route");
  let card: typeof import("@/app/api/models/[id]/card/route");
  const alice = privateKeyToAccount(generatePrivateKey());

  beforeAll(async () => {
    anvil = await startAnvil();
    db = await createTestDatabase();
    blobDir = await mkdtemp(path.join(tmpdir(), "corex-models-"));
    useAppEnv({ DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, CHAIN_ID: "31337", BLOB_STORE: "fs", BLOB_DIR: blobDir, MAX_MODEL_UPLOAD_BYTES: String(LIMIT) });
    models = await import("@/app/api/models/route");
    model = await import("@/app/api/models/[id]/route");
    weights = await import("@/app/api/models/[id]/weights/route");
    card = await import("@/app/api/models/[id]/card/route");
    cookie = await signInCookie(alice);
  });
  afterAll(async () => {
    await db?.drop();
    await anvil?.stop();
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  });

  const countFiles = async (dir: string): Promise<number> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    let n = 0;
    for (const e of entries) n += e.isDirectory() ? await countFiles(path.join(dir, e.name)) : 1;
    return n;
  };
  const upload = (parts: [string, string | Uint8Array][], init: { cookie?: string; headers?: Record<string, string> } = {}) => {
    const { body, type } = multipart(parts);
    return models.POST(new Request(`${APP}/api/models`, { method: "POST", body: body as Uint8Array<ArrayBuffer>, headers: { cookie: init.cookie ?? cookie, "content-type": type, ...init.headers } }), noCtx);
  };
  const list = async (query = "") => (await (await models.GET(req(`/api/models${query}`), noCtx)).json()) as { models: Model[]; page: number; limit: number; total: number };

  /** A job that trained to the end: created through the API, then its run and last round as the coordinator leaves them. */
  async function completedJob(): Promise<{ jobId: string; final: Float32Array; finalSha: string }> {
    const jobsRoute = await import("@/app/api/jobs/route");
    const res = await jobsRoute.POST(
      req("/api/jobs", { method: "POST", cookie, json: { dataset: "iris", model: { hidden: [8], activation: "tanh" }, hyper: { rounds: 2, shards: 1, localSteps: 2, batch: 8, seed: 5 }, redundancy: 1, spotCheckRate: 0 } }),
      noCtx,
    );
    expect(res.status, await res.clone().text()).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const job = await db.prisma.job.findUniqueOrThrow({ where: { id } });
    const final = initialWeights(specOf(job)).map((w, i) => w + (i % 5) * 0.01);
    const { sha256 } = await fsBlobStore(blobDir).put(encodeFloat32(final));
    await db.prisma.trainingRun.create({ data: { jobId: id, status: "completed", round: 2, priority: 0, finalWeightsSha256: sha256, completeTx: `0x${"ab".repeat(32)}`, completedAt: new Date() } });
    for (const [round, loss] of [[0, 1.0], [1, 0.4]] as const) {
      await db.prisma.round.create({ data: { jobId: id, round, status: "aggregated", weightsSha256: sha256, nextWeightsSha256: sha256, acceptedResults: [], trainLoss: loss, heldOutLoss: loss + 0.05, heldOutAccuracy: 0.9, aggregatedAt: new Date() } });
    }
    return { jobId: id, final, finalSha: sha256 };
  }

  it("publishes a completed job's model once (concurrent reads included): lineage, proof root, metrics, downloads", async () => {
    const { jobId, final, finalSha } = await completedJob();
    expect((await list()).total).toBe(0); // still active: not a model yet
    await db.prisma.job.update({ where: { id: jobId }, data: { status: "completed", finishedAt: new Date() } });
    // Three readers at once: one row, and no reader trips over another's insert (a failed publish is only logged).
    const errors = vi.spyOn(console, "error");
    const pages = await Promise.all([list(), list(), list()]);
    for (const p of pages) expect(p.total).toBe(1);
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
    const { publishCompletedJobs } = await import("./publish");
    expect(await publishCompletedJobs({ db: db.prisma, store: fsBlobStore(blobDir), chainId: 31337 })).toBe(0);
    const [m] = pages[0]!.models;
    expect(m).toMatchObject({ kind: "mlp", source: "job", parameters: (4 + 1) * 8 + (8 + 1) * 3, architecture: "MLP 4-8-3 tanh", description: `trained by job ${jobId} on iris` });
    // The proof root is the one the job's proof carries (a chain over its spec hash and both round records).
    const proof = (await (await (await import("@/app/api/jobs/[id]/proof/route")).GET(req(`/api/jobs/${jobId}/proof`), params({ id: jobId }))).json()) as { proofRoot: string; specHash: string };
    expect(proof.proofRoot).toMatch(/^0x[0-9a-f]{64}$/);
    expect(proof.proofRoot).not.toBe(`0x${finalSha}`);
    expect(m!.lineage).toMatchObject({ kind: "job", jobId, dataset: "iris", proofRoot: proof.proofRoot, metrics: { trainLoss: 0.4, heldOutAccuracy: 0.9, rounds: 2 } });
    expect(m!.links.proof).toBe(`${APP}/api/jobs/${jobId}/proof`);
    expect(await db.prisma.model.count()).toBe(1);

    const detail = (await (await model.GET(req(`/api/models/${m!.id}`), params({ id: m!.id }))).json()) as Model;
    expect(detail.config).toMatchObject({ kind: "mlp", layers: [4, 8, 3], classes: ["setosa", "versicolor", "virginica"], features: ["sepal_length", "sepal_width", "petal_length", "petal_width"] });
    expect((detail.config as { normalisation: { mean: number[] } }).normalisation.mean).toHaveLength(4);

    // The weights are the job's own download, byte for byte; their sha-256 is the model's content hash.
    const file = await weights.GET(req(`/api/models/${m!.id}/weights`), params({ id: m!.id }));
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(sha(bytes)).toBe(m!.sha256);
    expect(bytes.length).toBe(m!.sizeBytes);
    expect(file.headers.get("content-disposition")).toContain(".safetensors");
    const jobModel = await (await import("@/app/api/jobs/[id]/model/route")).GET(req(`/api/jobs/${jobId}/model`), params({ id: jobId }));
    expect(new Uint8Array(await jobModel.arrayBuffer())).toEqual(bytes);
    expect(readSafetensors(bytes, expectedTensors(detail.config)).weights).toEqual(final);

    const c = (await (await card.GET(req(`/api/models/${m!.id}/card`), params({ id: m!.id }))).json()) as { format: string; training: { jobId: string; metrics: { rounds: number } } };
    expect(c.format).toBe("corex-model-card/1");
    expect(c.training).toMatchObject({ jobId, metrics: { rounds: 2 } });
  });

  it("stores a valid upload (MLP and GPT): newest first, uploaded by the signed-in address, the bytes as sent", async () => {
    const bytes = encodeSafetensors(tensorsFor(irisConfig));
    const res = await upload([["config", JSON.stringify(irisConfig)], ["name", "My iris"], ["file", bytes]]);
    expect(res.status, await res.clone().text()).toBe(201);
    const m = (await res.json()) as Model;
    expect(m).toMatchObject({ name: "My iris", kind: "mlp", source: "upload", sizeBytes: bytes.length, sha256: sha(bytes), description: `uploaded by ${alice.address.toLowerCase()}` });
    const gptBytes = encodeSafetensors(tensorsFor(tinyGptConfig));
    const gpt = (await (await upload([["config", JSON.stringify(tinyGptConfig)], ["file", gptBytes]])).json()) as Model;
    expect(gpt).toMatchObject({ kind: "gpt", name: "model", parameters: expectedTensors(tinyGptConfig).reduce((n, e) => n + e.length, 0) });

    const page = await list();
    expect(page.models.map((x) => x.id).slice(0, 2)).toEqual([gpt.id, m.id]);
    expect((await list("?limit=1&page=2")).models.map((x) => x.id)).toEqual([m.id]);
    const file = await weights.GET(req(`/api/models/${m.id}/weights`), params({ id: m.id }));
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
    const detail = (await (await model.GET(req(`/api/models/${gpt.id}`), params({ id: gpt.id }))).json()) as Model;
    expect((detail.config as { vocabulary: string[] }).vocabulary).toEqual(["\n", "a", "b", "c", "d"]);
  });

  const good = () => tensorsFor(irisConfig);
  const nearLimit: ModelConfig = { kind: "mlp", layers: [100, 159, 2], activation: "relu" };
  const withTensor = (name: string, t: RawTensor) => encodeSafetensors({ ...good(), [name]: t });
  const refusals: [string, () => [string, string | Uint8Array][], number, string, RegExp][] = [
    ["a wrong shape", () => [["config", JSON.stringify(irisConfig)], ["file", withTensor("layers.1.weight", { shape: [3, 8] })]], 400, "safetensors_mismatch", /tensor "layers\.1\.weight" has shape \[3, 8\], the config needs \[8, 3\]/],
    ["a NaN", () => [["config", JSON.stringify(irisConfig)], ["file", withTensor("layers.0.weight", { shape: [4, 8], values: Float32Array.from({ length: 32 }, (_, i) => (i === 30 ? NaN : 0)) })]], 400, "safetensors_not_finite", /tensor "layers\.0\.weight" holds NaN at index 30/],
    ["a truncated header", () => [["config", JSON.stringify(irisConfig)], ["file", encodeSafetensors(good()).subarray(0, 50)]], 400, "safetensors_malformed", /truncated header/],
    ["truncated data", () => [["config", JSON.stringify(irisConfig)], ["file", encodeSafetensors(good()).subarray(0, 400)]], 400, "safetensors_malformed", /truncated data/],
    ["a mismatched config", () => [["config", JSON.stringify({ kind: "mlp", layers: [4, 16, 3], activation: "relu" })], ["file", encodeSafetensors(good())]], 400, "safetensors_mismatch", /tensor "layers\.0\.weight" has shape \[4, 8\], the config needs \[4, 16\]/],
    ["a GPT config for an MLP file", () => [["config", JSON.stringify(tinyGptConfig)], ["file", encodeSafetensors(good())]], 400, "safetensors_mismatch", /tensor "wte" is missing/],
    ["an invalid config", () => [["config", JSON.stringify({ kind: "mlp", layers: [4, 8, 3], activation: "gelu" })], ["file", encodeSafetensors(good())]], 400, "validation_failed", /^config\.activation: /],
    ["an inconsistent config", () => [["config", JSON.stringify({ ...irisConfig, classes: ["a"] })], ["file", encodeSafetensors(good())]], 400, "validation_failed", /^config\.classes: must name 3 classes/],
    ["a config that is not JSON", () => [["config", "{layers"], ["file", encodeSafetensors(good())]], 400, "validation_failed", /^config: not JSON/],
    ["the config after the file", () => [["file", encodeSafetensors(good())], ["config", JSON.stringify(irisConfig)]], 400, "validation_failed", /"config" .* must come before the field "file"/],
    ["no file", () => [["config", JSON.stringify(irisConfig)]], 400, "validation_failed", /no file/],
    ["a model too large for the limit", () => [["config", JSON.stringify({ kind: "mlp", layers: [1000, 100, 2], activation: "relu" })], ["file", encodeSafetensors(good())]], 400, "validation_failed", /exceed the 65536-byte upload limit/],
    // 65,516 bytes of weights fit the 65,536-byte limit; with the header the file does not.
    ["a file over the limit", () => [["config", JSON.stringify(nearLimit)], ["file", encodeSafetensors(tensorsFor(nearLimit))]], 413, "payload_too_large", /limit of 65536 bytes/],
  ];
  for (const [what, parts, status, code, message] of refusals) {
    it(`refuses ${what}: ${status} ${code} naming it, and stores nothing (no row, no blob)`, async () => {
      const [rows, files] = [await db.prisma.model.count(), await countFiles(blobDir)];
      const res = await upload(parts());
      expect(res.status).toBe(status);
      const { error } = (await res.json()) as ApiError;
      expect(error.code).toBe(code);
      expect(error.message.replace(/^file: /, "")).toMatch(message);
      expect(await db.prisma.model.count()).toBe(rows);
      expect(await countFiles(blobDir)).toBe(files);
    });
  }

  it("refuses a declared Content-Length over the limit before reading the body, and stops a streamed body as soon as it passes", async () => {
    let pulled = 0;
    const endless = () =>
      new ReadableStream<Uint8Array>({
        pull(c) {
          if (pulled === 0) {
            const head = multipart([["config", JSON.stringify(nearLimit)]]).body;
            // Everything but the closing boundary, then the file part's header: the file streams forever.
            c.enqueue(head.subarray(0, head.length - "--corexModelBoundary--\r\n".length));
            c.enqueue(new TextEncoder().encode('--corexModelBoundary\r\nContent-Disposition: form-data; name="file"; filename="x.safetensors"\r\n\r\n'));
            c.enqueue(encodeSafetensors(tensorsFor(nearLimit)).subarray(0, 4096));
          } else c.enqueue(new Uint8Array(4096));
          pulled++;
        },
      });
    const type = "multipart/form-data; boundary=corexModelBoundary";
    const declared = new Request(`${APP}/api/models`, { method: "POST", body: endless(), headers: { cookie, "content-type": type, "content-length": String(LIMIT * 100) }, duplex: "half" } as RequestInit);
    expect((await models.POST(declared, noCtx)).status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(1);
    pulled = 0;
    const streamed = new Request(`${APP}/api/models`, { method: "POST", body: endless(), headers: { cookie, "content-type": type }, duplex: "half" } as RequestInit);
    const res = await models.POST(streamed, noCtx);
    expect(res.status).toBe(413);
    expect(((await res.json()) as ApiError).error.code).toBe("payload_too_large");
    // 64 KiB limit, 4 KiB chunks: it stopped within a few chunks of the limit, not at the end of an endless body.
    expect(pulled * 4096).toBeLessThan(LIMIT + 8 * 4096);
  });

  it("answers 401 without a session before reading the body; 404 and 400 for unknown and malformed ids", async () => {
    const res = await upload([["config", "{}"]], { cookie: "corex_session=nope" });
    expect(res.status).toBe(401);
    const id = "00000000-0000-4000-8000-00000000abcd";
    expect((await model.GET(req(`/api/models/${id}`), params({ id }))).status).toBe(404);
    expect((await weights.GET(req(`/api/models/${id}/weights`), params({ id }))).status).toBe(404);
    const bad = await model.GET(req("/api/models/nope"), params({ id: "nope" }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ApiError).error.code).toBe("validation_failed");
    expect((await models.GET(req("/api/models?limit=500"), noCtx)).status).toBe(400);
  });
});
