import { expect, test, type Page } from "@playwright/test";
import { AppShell } from "../pages/app-shell";
import { devAccounts, installInjectedWallet } from "../support/injected-wallet";

// Issue 21 against the running app (Next's routing, proxy.ts, next.config.ts headers and the peer stamp
// of instrumentation-node.ts — none of which the in-process integration tests go through).

/** Console errors and CSP violations (reported by the page itself, with the directive and the blocked URL). */
function watchViolations(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    // Pages with a wallet section ask /api/auth/session whether someone is signed in; 401 is its "no".
    if (m.type() === "error" && !(m.text().includes("status of 401") && m.location().url.includes("/api/auth/session"))) problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

test("pages run under their nonce CSP: navigation, the wallet modal and SIWE sign-in, the worker page", async ({ page }) => {
  const problems = watchViolations(page);
  await page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`)),
  );
  await installInjectedWallet(page, { account: devAccounts[3] });
  // At localhost: `npm run dev` names http://localhost:$PORT as APP_ORIGIN, the host SIWE messages must name.
  const app = `http://localhost:${process.env.E2E_PORT ?? 3100}`;
  const res = await page.goto(`${app}/`);
  const csp = res!.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src [^;]*'nonce-[A-Za-z0-9+/=]{20,}'[^;]*'strict-dynamic'/);
  expect(csp).not.toMatch(/script-src [^;]*'unsafe-inline'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(res!.headers()["x-frame-options"]).toBe("DENY");
  expect(res!.headers()["x-content-type-options"]).toBe("nosniff");
  // Each response its own nonce.
  const again = await page.request.get(`${app}/`);
  expect(again.headers()["content-security-policy"]).not.toBe(csp);

  const shell = new AppShell(page);
  await shell.connect();
  await expect(shell.accountButton(devAccounts[3])).toBeVisible();
  for (const path of ["/jobs", "/worker", "/nodes"]) {
    await page.goto(`${app}${path}`);
    await expect(page.getByRole("main")).toBeVisible();
  }
  expect(problems).toEqual([]);
});

test("/api answers in its JSON error shape: unknown paths 404, unknown methods 405, cross-origin writes 403", async ({ request }) => {
  const unknown = await request.get("/api/no/such/route");
  expect(unknown.status()).toBe(404);
  expect(await unknown.json()).toMatchObject({ error: { code: "not_found" } });
  expect(unknown.headers()["x-content-type-options"]).toBe("nosniff");
  expect((await request.post("/api/nope", { data: {} })).status()).toBe(404);

  const wrong = await request.delete("/api/jobs");
  expect(wrong.status()).toBe(405);
  expect(wrong.headers()["allow"]).toBe("GET, POST");
  expect(await wrong.json()).toMatchObject({ error: { code: "method_not_allowed" } });

  const cross = await request.post("/api/auth/logout", { headers: { origin: "https://evil.example" } });
  expect(cross.status()).toBe(403);
  expect(await cross.json()).toMatchObject({ error: { code: "cross_origin" } });
  expect((await request.get("/api/epochs/abc/tree")).status()).toBe(400);
});

test("a forged X-Forwarded-For does not buy a fresh rate-limit budget", async ({ request }) => {
  // Runs last in this folder: it spends this machine's nonce budget for the rest of the minute.
  const into = Date.now() % 60_000;
  if (into > 40_000) await new Promise((r) => setTimeout(r, 60_000 - into + 50));
  const statuses: number[] = [];
  for (let i = 0; i < 64; i++) {
    const res = await request.get("/api/auth/nonce", { headers: { "x-forwarded-for": `203.0.113.${i}`, "x-corex-peer": `198.51.100.${i}`, "x-real-ip": `192.0.2.${i}` } });
    statuses.push(res.status());
  }
  expect(statuses).toContain(429);
  expect(statuses.slice(statuses.indexOf(429)).every((s) => s === 429)).toBe(true);
});
