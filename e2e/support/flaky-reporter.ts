import type { Reporter, TestCase, TestResult } from "@playwright/test/reporter";

/** Prints every test that needed a retry, with the error of its failed attempt, at the end of the run. */
export default class FlakyReporter implements Reporter {
  private retried = new Map<TestCase, string>();

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== "passed" && result.status !== "skipped" && !this.retried.has(test)) {
      this.retried.set(test, (result.error?.message ?? result.status).split("\n")[0]);
    }
  }

  onEnd(): void {
    const flaky = [...this.retried.keys()].filter((t) => t.outcome() === "flaky");
    if (flaky.length === 0) return;
    console.log(`\n${flaky.length} flaky test(s) — passed only on a retry:`);
    for (const t of flaky) {
      const line = `FLAKY ${t.location.file.split("/").slice(-2).join("/")}:${t.location.line} ${t.titlePath().filter(Boolean).join(" › ")} — first attempt: ${this.retried.get(t)}`;
      // GitHub Actions turns this into an annotation; elsewhere it is a plain line.
      console.log(process.env.GITHUB_ACTIONS ? `::warning::${line}` : line);
    }
  }

  printsToStdio(): boolean {
    return false;
  }
}
