import { expect, test } from "@playwright/test";
import { networkAddress } from "@/scripts/lib/dev-origins";
import { AppShell } from "../pages/app-shell";
import { installInjectedWallet } from "../support/injected-wallet";

const port = Number(process.env.E2E_PORT ?? 3100);
const hosts = ["127.0.0.1", networkAddress()].filter((h): h is string => Boolean(h));

for (const host of hosts) {
  test(`next dev hydrates when opened at http://${host}:${port}`, async ({ page }, testInfo) => {
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    page.on("response", (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
    await installInjectedWallet(page);
    for (const [name, viewport] of [["desktop", { width: 1280, height: 800 }], ["phone", { width: 390, height: 844 }]] as const) {
      await page.setViewportSize(viewport);
      await page.goto(`http://${host}:${port}/`);
      const shell = new AppShell(page);
      // Only a hydrated page answers clicks: the theme toggle changes, the wallet modal opens.
      await expect(shell.themeToggle).toHaveAttribute("data-preference", "system");
      await shell.themeToggle.click();
      await expect(shell.themeToggle).toHaveAttribute("data-preference", "light");
      await shell.themeToggle.click();
      await shell.themeToggle.click();
      await expect(shell.themeToggle).toHaveAttribute("data-preference", "system");
      await shell.connectButton.click();
      await expect(page.getByRole("dialog")).toBeVisible();
      await page.keyboard.press("Escape");
      await expect(page.getByRole("dialog")).toBeHidden();
      const shot = testInfo.outputPath(`next-dev-${host}-${name}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      await testInfo.attach(`next-dev-${host}-${name}.png`, { path: shot, contentType: "image/png" });
    }
    expect(problems).toEqual([]);
  });
}
