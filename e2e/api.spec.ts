import { expect, test } from "@playwright/test";
import parsePrometheusTextFormat from "parse-prometheus-text-format";

// The operator-facing endpoints over real HTTP from the running app (next start), not in-process.

test("GET /api/health answers 200 with every part up", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(res.headers()["cache-control"]).toContain("no-store");
  expect(await res.json()).toMatchObject({ status: "ok", database: { ok: true }, chain: { ok: true, chainId: 31337 }, indexer: { ok: true } });
});

test("GET /api/metrics serves Prometheus text that a parser reads, with the indexer's figures", async ({ request }) => {
  const res = await request.get("/api/metrics");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  const families = parsePrometheusTextFormat(await res.text());
  const family = (name: string) => families.find((f) => f.name === name);
  const value = (name: string) => Number(family(name)?.metrics.find((m) => m.labels?.chain_id === "31337")?.value);

  expect(family("corex_indexer_reorgs_total")?.type).toBe("COUNTER");
  for (const name of ["corex_indexer_events_indexed", "corex_indexer_checkpoint_block", "corex_indexer_head_block", "corex_indexer_lag_blocks", "corex_indexer_heartbeat_age_seconds"]) {
    expect(family(name)?.type, name).toBe("GAUGE");
    expect(Number.isFinite(value(name)), name).toBe(true);
  }
  // The seeded demo is indexed: events in the mirror, a checkpoint at or near the head.
  expect(value("corex_indexer_events_indexed")).toBeGreaterThan(0);
  expect(value("corex_indexer_checkpoint_block")).toBeGreaterThan(0);
  expect(value("corex_indexer_lag_blocks")).toBe(value("corex_indexer_head_block") - value("corex_indexer_checkpoint_block"));
  // prom-client's default process metrics come through the same registry.
  expect(families.some((f) => f.name.startsWith("corex_process_") && f.metrics.length > 0)).toBe(true);
});

test("security headers (issue 21): pages get a nonce CSP without eval, every /api answer is JSON, cross-origin writes are refused", async ({ request }) => {
  const page = await request.get("/");
  const csp = page.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src [^;]*'nonce-[A-Za-z0-9+/=]{20,}'[^;]*'strict-dynamic'[^;]*'wasm-unsafe-eval'/);
  expect(csp).not.toMatch(/'unsafe-eval'|script-src [^;]*'unsafe-inline'/);
  expect(page.headers()["x-frame-options"]).toBe("DENY");
  expect(page.headers()["x-content-type-options"]).toBe("nosniff");

  const missing = await request.get("/api/no/such/route");
  expect(missing.status()).toBe(404);
  expect(await missing.json()).toMatchObject({ error: { code: "not_found" } });
  const method = await request.put("/api/jobs");
  expect(method.status()).toBe(405);
  expect(method.headers()["allow"]).toBe("GET, POST");
  expect(await method.json()).toMatchObject({ error: { code: "method_not_allowed" } });
  const cross = await request.post("/api/auth/logout", { headers: { origin: "https://evil.example" } });
  expect(cross.status()).toBe(403);
  expect(await cross.json()).toMatchObject({ error: { code: "cross_origin" } });
});
