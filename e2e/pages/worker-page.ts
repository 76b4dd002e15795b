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

  /**
   * Waits until the page shows a fragment part done — "Round r, shard s: step x of K" with 0 < x < K, i.e.
   * progress per chunk of steps, not only at the end — and returns that line. Read every 100 ms: a line
   * stays up for one chunk (≈ 250 ms of compute), shorter than an expect's later retry intervals.
   */
  async partDoneFragment(timeout: number): Promise<string> {
    const line = await this.page.waitForFunction(
      () => {
        const m = /Round \d+, shard \d+: step (\d+) of (\d+)/.exec(document.body.innerText);
        return m && Number(m[1]) > 0 && Number(m[1]) < Number(m[2]) ? m[0] : null;
      },
      null,
      { polling: 100, timeout },
    );
    return (await line.jsonValue())!;
  }

  /** "Fragments done / accepted" as numbers. */
  async counters(): Promise<{ done: number; accepted: number }> {
    const m = /^(\d+) \/ (\d+)$/.exec((await this.done.textContent())?.trim() ?? "");
    if (!m) throw new Error(`unexpected worker counters: ${await this.done.textContent()}`);
    return { done: Number(m[1]), accepted: Number(m[2]) };
  }
}
