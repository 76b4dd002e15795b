import { parseEnv } from "../../lib/config/define";
import { chromiumEnvSchema } from "../../lib/config/tools";

/**
 * How every Playwright run and browser benchmark launches Debian's Chromium: offline
 * (no QUIC, no background or component-update traffic) and with WebGPU enabled, which without a GPU
 * is SwiftShader. One list, so the e2e suite, the compute specs and the benchmarks see the same browser.
 */
export const chromiumPath = parseEnv("chromium", chromiumEnvSchema).CHROMIUM_PATH;

export const chromiumArgs: readonly string[] = [
  "--no-sandbox",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--enable-unsafe-webgpu",
];
