import type { PlaywrightTestConfig } from "@playwright/test";

/**
 * CI retries a failed test once so a report shows whether a failure is stable, but a test that only
 * passes on its retry fails the run (failOnFlakyTests) and is named by the flaky reporter: a green CI
 * never hides flakiness. Shared by playwright.config.ts and the test that checks this policy.
 */
export function flakePolicy(ci: boolean, reporterPath: string): Pick<PlaywrightTestConfig, "retries" | "failOnFlakyTests" | "reporter"> {
  return {
    retries: ci ? 1 : 0,
    failOnFlakyTests: ci,
    reporter: ci ? [["list"], [reporterPath], ["html", { open: "never" }]] : [["list"], [reporterPath]],
  };
}
