import { expect, type Locator, type Page } from "@playwright/test";

/** The layout every page shares: navigation (a menu at phone width), theme toggle, wallet button, wrong-network prompt. */
export class AppShell {
  readonly nav: Locator;
  readonly connectButton: Locator;
  readonly wrongNetwork: Locator;
  readonly menuButton: Locator;
  readonly themeToggle: Locator;
  readonly toasts: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole("navigation", { name: "Main" });
    this.connectButton = this.nav.getByRole("button", { name: "Connect Wallet" });
    this.wrongNetwork = page.getByRole("alert").filter({ hasText: "Your wallet is on chain" });
    this.menuButton = this.nav.getByRole("button", { name: /^(Open|Close) menu$/ });
    this.themeToggle = this.nav.getByTestId("theme-toggle");
    this.toasts = page.getByRole("region", { name: /Notifications/ });
  }

  /** Follows a main-navigation link, through the phone menu when the links are folded into it. */
  async navigate(label: string) {
    if (await this.menuButton.isVisible()) {
      await this.menuButton.click();
      await expect(this.menuButton).toHaveAttribute("aria-expanded", "true");
    }
    await this.nav.getByRole("link", { name: label, exact: true }).click();
  }

  /**
   * Opens RainbowKit's modal, picks the injected test wallet announced over EIP-6963 and, since
   * signing in is part of connecting, signs the EIP-4361 message it then asks for.
   */
  async connect(walletName = "Corex Test Wallet") {
    await this.signMessage(walletName);
    await expect(this.page.getByRole("dialog")).toBeHidden();
  }

  /** Connect and sign the sign-in message, without waiting for the server to accept it. */
  async signMessage(walletName = "Corex Test Wallet") {
    const modal = this.page.getByRole("dialog");
    const wallet = modal.getByRole("button", { name: walletName });
    // A click that lands before hydration does nothing: click again until the modal is there.
    await expect(async () => {
      if (!(await wallet.isVisible())) await this.connectButton.click();
      await expect(wallet).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    await wallet.click();
    await modal.getByRole("button", { name: "Sign message" }).click();
  }

  /** A toast by its title or text. */
  toast(text: string | RegExp): Locator {
    return this.toasts.getByRole("listitem").filter({ hasText: text });
  }

  accountButton(address: string): Locator {
    // RainbowKit shows the address shortened as 0xf3…2266.
    const short = `${address.slice(0, 4)}…${address.slice(-4)}`;
    return this.nav.getByRole("button", { name: new RegExp(short, "i") });
  }
}
