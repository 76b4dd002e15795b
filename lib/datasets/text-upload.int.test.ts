import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { APP, noCtx, req, useAppEnv } from "@/test/support/app-env";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { signInCookie } from "@/test/support/sign-in";

const LIMIT = 64 * 1024;

// Uploaded .txt for language models through POST /api/datasets: refused with a 4xx naming the problem
// and nothing stored (no row, no blob), or stored as a text corpus a GPT job then trains on.
describe("datasets: .txt upload for language models (Postgres + filesystem blob store)", () => {
  let anvil: AnvilInstance;
  let db: TestDatabase;
  let blobDir: string;
  let cookie: string;
  let datasets: typeof import("@/app/api/datasets/route");

  beforeAll(async () => {
    anvil = await startAnvil();
    db = await createTestDatabase();
    blobDir = await mkdtemp(path.join(tmpdir(), "corex-txt-"));
    useAppEnv({ DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, CHAIN_ID: "31337", BLOB_STORE: "fs", BLOB_DIR: blobDir, MAX_UPLOAD_BYTES: String(LIMIT) });
    datasets = await import("@/app/api/datasets/route");
    cookie = await signInCookie(privateKeyToAccount(generatePrivateKey()));
  });
  afterAll(async () => {
    await db?.drop();
    await anvil?.stop();
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  });

  const upload = (body: BlobPart, fileName = "words.txt", fields: Record<string, string> = {}) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append("file", new Blob([body], { type: "text/plain" }), fileName);
    return datasets.POST(new Request(`${APP}/api/datasets`, { method: "POST", body: form, headers: { cookie } }), noCtx);
  };
  const countFiles = async (dir: string): Promise<number> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    let n = 0;
    for (const e of entries) n += e.isDirectory() ? await countFiles(path.join(dir, e.name)) : 1;
    return n;
  };
  const words = Array.from({ length: 400 }, (_, i) => `w${"abcdefghij"[i % 10]}${"klmnopqrst"[(i * 7) % 10]}${"uvwxyz"[(i * 3) % 6]}${i % 13}`).join("\n");

  const rejections: [string, BlobPart, number, string, RegExp][] = [
    ["binary (a NUL byte)", new Uint8Array([104, 105, 0, 1, 2, 10]), 422, "text_binary", /NUL byte at offset 2/],
    ["not UTF-8", new Uint8Array([104, 105, 0xff, 0xfe, 10, 104]), 422, "text_binary", /not UTF-8/],
    ["empty", "", 422, "text_empty", /empty/],
    ["only whitespace", " \n\n\t\n", 422, "text_empty", /whitespace/],
    ["over the vocabulary (300 distinct characters)", Array.from({ length: 300 }, (_, i) => String.fromCodePoint(0x100 + i)).join("\n"), 422, "text_vocabulary", /at most 256/],
    ["over the upload limit", "abc\n".repeat(LIMIT / 2), 413, "payload_too_large", /bytes/],
  ];
  for (const [what, body, status, code, message] of rejections) {
    it(`refuses a .txt that is ${what}: ${status} ${code}, nothing stored`, async () => {
      const rows = await db.prisma.dataset.count();
      const files = await countFiles(blobDir);
      const res = await upload(body);
      const err = ((await res.json()) as { error: { code: string; message: string } }).error;
      expect(res.status, JSON.stringify(err)).toBe(status);
      expect(err.code).toBe(code);
      expect(err.message).toMatch(message);
      expect(await db.prisma.dataset.count()).toBe(rows);
      expect(await countFiles(blobDir)).toBe(files);
    });
  }

  it("stores a valid .txt (one example per line) as a text dataset, and a language model job trains on it", async () => {
    const res = await upload(words, "words.txt", { name: "my words" });
    expect(res.status).toBe(201);
    const ds = (await res.json()) as { id: string; kind: string; name: string; features: number; classes: number; classNames: string[] };
    expect(ds).toMatchObject({ kind: "text", name: "my words", features: 0 });
    expect(ds.classNames[0]).toBe("\n");
    expect(ds.classes).toBe(ds.classNames.length);
    const jobs = await import("@/app/api/jobs/route");
    const job = await jobs.POST(req("/api/jobs", { method: "POST", cookie, json: { dataset: ds.id, model: { kind: "gpt", layers: 1, heads: 2, dim: 8, context: 4 }, hyper: { rounds: 1, shards: 2 } } }), noCtx);
    const body = (await job.json()) as { spec: { model: { kind: string; vocab: number }; dataset: { vocabulary: string[] } } };
    expect(job.status, JSON.stringify(body)).toBe(201);
    expect(body.spec.model).toMatchObject({ kind: "gpt", vocab: ds.classes });
    expect(body.spec.dataset.vocabulary).toEqual(ds.classNames);
    // the same text as a CSV-style MLP job is refused, naming the dataset
    const mlp = await jobs.POST(req("/api/jobs", { method: "POST", cookie, json: { dataset: ds.id } }), noCtx);
    expect(mlp.status).toBe(400);
    expect(((await mlp.json()) as { error: { message: string } }).error.message).toMatch(/^dataset: .*text dataset/);
  });
});
