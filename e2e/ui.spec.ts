import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { AppShell } from "./pages/app-shell";
import { installInjectedWallet, userSwitchesWalletChain } from "./support/injected-wallet";
import { must, typedApi } from "./support/api";

const mainPages = [
  "/", "/about", "/me", "/jobs", "/jobs/new", "/models", "/datasets", "/datasets/publish", "/datasets/earnings",
  "/nodes", "/nodes/1", "/rankings", "/governance", "/explorer", "/worker", "/admin",
] as const;

/** The demo job and the published dataset seeded by `npm run dev`: their pages are checked like the main pages. */
async function seededPaths(page: Page): Promise<string[]> {
  const api = typedApi(page.request);
  const { jobs } = must("jobs", await api.GET("/api/jobs"));
  expect(jobs.length, "the seeded demo job").toBeGreaterThan(0);
  const catalogue = must("datasets", await api.GET("/api/datasets"));
  const datasets = "page" in catalogue ? catalogue.datasets : [];
  expect(datasets.length, "the seeded published dataset").toBeGreaterThan(0);
  return [`/jobs/${jobs[jobs.length - 1]!.id}`, `/datasets/${datasets[0]!.id}`];
}
const themes = ["light", "dark"] as const;
const viewports = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } } as const;

/** Console errors and failed requests (404s included) seen while the page was open. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  // Pages with a wallet section ask /api/auth/session whether someone is signed in; 401 is its "no".
  // The browser also logs that answer as a failed load (the console message's location is the URL).
  const sessionProbe = (url: string) => url !== "" && new URL(url).pathname === "/api/auth/session";
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    if (m.text().includes("status of 401") && sessionProbe(m.location().url)) return;
    problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("response", (r) => r.status() >= 400 && !(r.status() === 401 && sessionProbe(r.url())) && problems.push(`${r.status()} ${r.url()}`));
  page.on("requestfailed", (r) => {
    // ERR_ABORTED is the browser cancelling a request itself: link prefetches that navigation
    // cancels, and the wallet's chain polls (an eth_blockNumber to the RPC) still in flight when
    // page.goto leaves the page. A server that fails shows up as a status above or another net:: error.
    if (r.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.push(`failed ${r.url()}: ${r.failure()?.errorText}`);
  });
  return problems;
}

async function settle(page: Page) {
  await page.waitForLoadState("networkidle");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
}

for (const [size, viewport] of Object.entries(viewports)) {
  for (const theme of themes) {
    test(`every main page at ${size} width in the ${theme} theme: no serious axe violation, no console error, no overflow`, async ({ page }, testInfo) => {
      test.setTimeout(180_000);
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme: theme });
      const problems = watchProblems(page);
      for (const path of [...mainPages, ...(await seededPaths(page))]) {
        await page.goto(path);
        await settle(page);
        // The page follows the system theme (no stored choice).
        await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
        const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
        const bad = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        expect(
          bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
          `axe on ${path}`,
        ).toEqual([]);
        // Nothing wider than the screen: tables scroll inside their own box.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `horizontal overflow on ${path}`).toBeLessThanOrEqual(0);
        const shot = testInfo.outputPath(`${size}-${theme}${path === "/" ? "-home" : path.replaceAll("/", "-")}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        await testInfo.attach(shot.split("/").pop()!, { path: shot, contentType: "image/png" });
      }
      expect(problems).toEqual([]);
    });
  }
}

test("phone menu opens, navigates and closes; Escape closes it", async ({ page }) => {
  await page.setViewportSize(viewports.phone);
  await page.goto("/");
  const shell = new AppShell(page);
  await expect(shell.nav.getByRole("link", { name: "Rankings", exact: true })).toBeHidden();
  await shell.menuButton.click();
  await expect(shell.menuButton).toHaveAttribute("aria-expanded", "true");
  await page.keyboard.press("Escape");
  await expect(shell.menuButton).toHaveAttribute("aria-expanded", "false");
  await shell.navigate("Rankings");
  await expect(page).toHaveURL(/\/rankings$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Rankings");
  await expect(shell.menuButton).toHaveAttribute("aria-expanded", "false");
  // The ranking table scrolls sideways inside its region instead of widening the page.
  const region = page.getByRole("region", { name: "Node rankings" });
  expect(await region.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
});

test("theme toggle cycles system → light → dark, persists, and applies before any script runs", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/");
  const shell = new AppShell(page);
  const html = page.locator("html");
  await expect(shell.themeToggle).toHaveAttribute("data-preference", "system");
  await expect(html).toHaveClass(/\bdark\b/);
  await shell.themeToggle.click();
  await expect(shell.themeToggle).toHaveAttribute("data-preference", "light");
  await expect(html).not.toHaveClass(/\bdark\b/);
  await page.reload();
  await expect(shell.themeToggle).toHaveAttribute("data-preference", "light");
  await expect(html).not.toHaveClass(/\bdark\b/);

  // No flash: with every JS bundle held back, the stored theme is already on the first paint.
  await page.route("**/_next/static/**/*.js", () => {});
  await page.goto("/jobs", { waitUntil: "domcontentloaded" });
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(255, 255, 255)");
  await page.unroute("**/_next/static/**/*.js");

  await page.goto("/");
  await shell.themeToggle.click();
  await expect(shell.themeToggle).toHaveAttribute("data-preference", "dark");
  await expect(html).toHaveClass(/\bdark\b/);
  await shell.themeToggle.click();
  await expect(shell.themeToggle).toHaveAttribute("data-preference", "system");
  await page.emulateMedia({ colorScheme: "light" });
  await expect(html).not.toHaveClass(/\bdark\b/);
});

test("read-only pages do not download the wallet stack until Connect is clicked", async ({ page }) => {
  await installInjectedWallet(page);
  const scripts: Promise<string>[] = [];
  page.on("response", (r) => r.request().resourceType() === "script" && scripts.push(r.text().catch(() => "")));
  // RainbowKit marks its DOM with data-rk: a script holding that string carries the wallet stack.
  const walletCode = async (from: number) => (await Promise.all(scripts.slice(from))).some((t) => t.includes("data-rk"));
  await page.goto("/rankings");
  await page.waitForLoadState("networkidle");
  const before = scripts.length;
  expect(await walletCode(0), "wallet stack in the page's own scripts").toBe(false);
  const shell = new AppShell(page);
  await shell.connectButton.click();
  await expect(page.getByRole("dialog")).toBeVisible();
  expect(await walletCode(before), "the wallet stack arrives on Connect").toBe(true);
  await page.getByRole("dialog").getByRole("button", { name: "Corex Test Wallet" }).click();
  // Signing in (SIWE) is part of connecting.
  await page.getByRole("dialog").getByRole("button", { name: "Sign message" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  await expect(shell.connectButton).toBeHidden();
});

test("at phone width the header still fits once a wallet is connected", async ({ page }, testInfo) => {
  await installInjectedWallet(page);
  await page.setViewportSize(viewports.phone);
  await page.goto("/");
  const shell = new AppShell(page);
  await shell.connect();
  await expect(shell.connectButton).toBeHidden();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  for (const control of [shell.menuButton, shell.themeToggle]) {
    const box = (await control.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(viewports.phone.width);
  }
  const shot = testInfo.outputPath("phone-connected-header.png");
  await page.screenshot({ path: shot, clip: { x: 0, y: 0, width: viewports.phone.width, height: 120 } });
  await testInfo.attach("phone-connected-header.png", { path: shot, contentType: "image/png" });
});

for (const theme of themes) {
  test(`wrong-network banner and toasts pass axe in the ${theme} theme`, async ({ page }) => {
    await installInjectedWallet(page);
    await page.emulateMedia({ colorScheme: theme });
    await page.goto("/");
    const shell = new AppShell(page);
    await shell.connect();
    await userSwitchesWalletChain(page, 1);
    await expect(shell.wrongNetwork).toBeVisible();
    const serious = async () => {
      // Toasts slide and fade in: axe measuring one mid-transition sees partial opacity as low contrast.
      await page.waitForFunction(() =>
        [...document.querySelectorAll("[data-sonner-toast]")].every((t) => t.getAnimations({ subtree: true }).every((a) => a.playState !== "running")),
      );
      return (await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze()).violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    };
    expect(await serious()).toEqual([]);
    await shell.wrongNetwork.getByRole("button", { name: /Switch to/ }).click();
    await expect(shell.toasts.getByText(/^Switched to /)).toBeVisible();
    expect(await serious()).toEqual([]);
  });
}
