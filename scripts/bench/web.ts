// `npm run bench:web`: gzipped first-load JavaScript of each main page, from a production build served
// by the real stack (scripts/e2e-server.ts: anvil, Postgres, indexer, `next start`).
//   route <path> <KB> KB      scripts the page's HTML loads (what must arrive before it is interactive;
//                             Next's nomodule polyfills, which module-capable browsers skip, are not counted)
//   after-hydration <path>    everything fetched until the network is idle, lazy chunks included (Chromium)
//   wallet-stack on demand    chunks fetched when Connect is clicked (wagmi, RainbowKit, toasts)
//   baseline eager-wallet-stack route <path>   route + wallet stack: what each page cost when the layout
//                             mounted the wallet stack eagerly (the design before this one), same build, same run
// Flags: --no-build reuses .next. Env: BENCH_PORT, BENCH_ANVIL_PORT (default: free ports).
// Wrap it as `flock /tmp/corex-heavy.lock npm run bench:web` on a shared machine.
import { spawn, spawnSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { chromiumArgs, chromiumPath } from "@/e2e/support/chromium";
import { freePort, waitFor } from "@/scripts/lib/processes";
import { benchWebEnvSchema } from "@/lib/config";
import { parseEnv } from "@/lib/config";

const routes = ["/", "/about", "/jobs", "/nodes", "/rankings", "/explorer", "/worker", "/me", "/admin"];
const readOnly = new Set(["/", "/about", "/jobs", "/nodes", "/rankings", "/explorer", "/jobs/{id}"]);
// The seeded demo job's page is measured as `/jobs/{id}` (its id differs per run).
const label = (route: string) => route.replace(/^\/jobs\/[0-9a-f-]{36}$/, "/jobs/{id}");
const BUDGET_KB = 200;

if (!process.argv.includes("--no-build")) {
  console.log("[bench] next build …");
  const build = spawnSync("node_modules/.bin/next", ["build"], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (build.status !== 0) throw new Error(`next build failed (${build.status})`);
}

const benchEnv = parseEnv("bench:web", benchWebEnvSchema);
const port = benchEnv.BENCH_PORT ?? (await freePort());
const anvilPort = benchEnv.BENCH_ANVIL_PORT ?? (await freePort());
const base = `http://localhost:${port}`;
const server = spawn("node_modules/.bin/tsx", ["scripts/e2e-server.ts"], {
  env: { ...process.env, E2E_PORT: String(port), E2E_ANVIL_PORT: String(anvilPort) },
  stdio: ["ignore", "ignore", "inherit"],
  detached: true,
});
const stopServer = async () => {
  if (server.exitCode !== null) return;
  server.kill("SIGINT");
  await new Promise((r) => server.once("exit", r));
};

const gz = new Map<string, number>();
async function gzipBytes(url: string): Promise<number> {
  if (!gz.has(url)) {
    const res = await fetch(url, { headers: { "accept-encoding": "identity" } });
    if (!res.ok) throw new Error(`${res.status} ${url}`);
    gz.set(url, gzipSync(Buffer.from(await res.arrayBuffer())).length);
  }
  return gz.get(url)!;
}
const sum = async (urls: Iterable<string>) => {
  let total = 0;
  for (const u of urls) total += await gzipBytes(u);
  return total;
};
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

try {
  await waitFor("the app", async () => (await fetch(`${base}/api/health`)).ok, 600_000, 1_000);
  const { jobs } = (await (await fetch(`${base}/api/jobs`)).json()) as { jobs: { id: string }[] };
  if (jobs[0]) routes.push(`/jobs/${jobs[jobs.length - 1]!.id}`);
  const firstLoad = new Map<string, number>();
  for (const route of routes) {
    const html = await (await fetch(base + route)).text();
    const tags = [...html.matchAll(/<script([^>]*)\ssrc="([^"]+)"([^>]*)>/g)];
    const url = (m: RegExpMatchArray) => new URL(m[2].replace(/&amp;/g, "&"), base).href;
    // `nomodule` scripts (Next's polyfills) are skipped by every browser that runs modules.
    const legacy = (m: RegExpMatchArray) => /\bnomodule\b/i.test(m[1] + m[3]);
    const bytes = await sum(new Set(tags.filter((m) => !legacy(m)).map(url)));
    firstLoad.set(label(route), bytes);
    console.log(`route ${label(route)} ${kb(bytes)} KB`);
    if (route === "/") console.log(`(polyfills, nomodule, legacy browsers only: ${kb(await sum(new Set(tags.filter(legacy).map(url))))} KB, not counted)`);
  }

  const browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs] });
  const page = await browser.newPage();
  const seen = new Set<string>();
  page.on("response", (r) => r.request().resourceType() === "script" && r.url().startsWith(base) && seen.add(r.url()));
  for (const route of routes) {
    seen.clear();
    await page.goto(base + route, { waitUntil: "networkidle" });
    console.log(`after-hydration ${label(route)} ${kb(await sum(seen))} KB`);
  }
  await page.goto(`${base}/`, { waitUntil: "networkidle" });
  const before = new Set(seen);
  seen.clear();
  await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Connect Wallet" }).click();
  await page.getByRole("dialog").waitFor();
  await page.waitForLoadState("networkidle");
  const walletChunks = [...seen].filter((u) => !before.has(u));
  const wallet = await sum(walletChunks);
  console.log(`wallet-stack on demand ${kb(wallet)} KB (${walletChunks.length} chunks)`);
  await browser.close();

  for (const route of routes.map(label)) console.log(`baseline eager-wallet-stack route ${route} ${kb(firstLoad.get(route)! + wallet)} KB`);
  const over = [...readOnly].filter((r) => firstLoad.has(r) && firstLoad.get(r)! > BUDGET_KB * 1024);
  console.log(over.length ? `OVER BUDGET (${BUDGET_KB} KB): ${over.join(", ")}` : `read-only pages within ${BUDGET_KB} KB: ${[...readOnly].join(", ")}`);
} finally {
  await stopServer();
}
