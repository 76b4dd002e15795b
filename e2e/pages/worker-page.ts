import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

/** /worker: connect, delegate a session key, Start/Pause/Resume, and the volunteer's numbers. */
export class WorkerPage {
  readonly shell: AppShell;
  readonly delegate: Locator;
  readonly start: Locator;
  readonly pause: Locator;
  readonly resume: Locator;
  readonly state: Locator;
  readonly done: Locator;
  readonly progress: Locator;
  /** The current fragment's line: "Round r, shard s: step x of K", or "No fragment in hand". */
  readonly fragment: Locator;
  /** The line while a fragment is part done: step x of K with 0 < x < K (per-step progress, not only its end). */
  readonly midFragment: Locator;
  readonly cpuOnly: Locator;
  readonly node: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.delegate = page.getByRole("button", { name: "Delegate a session key (one signature)" });
    this.start = page.getByRole("button", { name: "Start", exact: true });
    this.pause = page.getByRole("button", { name: "Pause", exact: true });
    this.resume = page.getByRole("button", { name: "Resume", exact: true });
    this.state = page.getByTestId("worker-state");
    this.done = page.getByTestId("worker-done");
    this.progress = page.getByRole("progressbar", { name: "Current fragment" });
    this.fragment = page.getByText(/^(Round \d+, shard \d+: step \d+ of \d+|No fragment in hand)$/);
    this.midFragment = page.getByText(/^Round \d+, shard \d+: step ([1-9]\d*) of (?!\1$)\d+$/);
    this.cpuOnly = page.getByLabel("CPU only (WebAssembly)");
    this.node = page.getByLabel("Node");
  }

  async goto() {
    await this.page.goto("/worker");
  }

  /**
   * Picks one of the connected owner's nodes, delegates a session key for it and presses Start; `cpuOnly`
   * ticks "CPU only (WebAssembly)" first.
   */
  async startFor(nodeId: string, opts: { cpuOnly?: boolean } = {}) {
    await expect(this.node).toBeVisible({ timeout: 20_000 });
    await this.node.selectOption(nodeId);
    await this.delegate.click();
    await expect(this.page.getByText(/Session key 0x[0-9a-fA-F]{8}… signs results until/)).toBeVisible({ timeout: 20_000 });
    if (opts.cpuOnly) await this.cpuOnly.check();
    await this.start.click();
  }

  /** "Fragments done / accepted" as numbers. */
  async counters(): Promise<{ done: number; accepted: number }> {
    const m = /^(\d+) \/ (\d+)$/.exec((await this.done.textContent())?.trim() ?? "");
    if (!m) throw new Error(`unexpected worker counters: ${await this.done.textContent()}`);
    return { done: Number(m[1]), accepted: Number(m[2]) };
  }
}
