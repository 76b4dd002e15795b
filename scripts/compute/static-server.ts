// A static server for the compute library in a browser: esbuild bundles of page entries, an empty page,
// and tfjs's wasm binaries served locally (the benchmark's baseline). No app, no chain, no database.
import { build } from "esbuild";
import { readFile } from "node:fs/promises";
import http from "node:http";
import { join } from "node:path";

const root = new URL("../../", import.meta.url).pathname;
const TFJS_WASM_DIR = join(root, "node_modules/@tensorflow/tfjs-backend-wasm/dist");

/** Page entries by URL name: /<name>.js serves the bundle of the file. */
export const ENTRIES = {
  "kernels-lab": "e2e/compute/kernels-lab-entry.ts",
  "gpt-kernels-lab": "e2e/compute/gpt-kernels-lab-entry.ts",
  "kernels-bench": "scripts/bench/kernels-page.ts",
} as const;

export type ComputeServer = { url: string; close(): Promise<void> };

/**
 * `isolated` serves the page cross-origin isolated (COOP + COEP), which gives it SharedArrayBuffer and so
 * lets tfjs-wasm run its multi-threaded SIMD build.
 */
export async function startComputeServer(
  port: number,
  names: (keyof typeof ENTRIES)[] = ["kernels-lab"],
  { isolated = false }: { isolated?: boolean } = {},
): Promise<ComputeServer> {
  const bundles = new Map<string, Uint8Array>();
  for (const name of names) {
    const result = await build({
      entryPoints: [join(root, ENTRIES[name])],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      minify: true,
      alias: { "@": root },
      logLevel: "warning",
    });
    bundles.set(`/${name}.js`, result.outputFiles[0].contents);
  }
  const server = http.createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const send = (status: number, type: string, body: string | Uint8Array) => {
      const isolation = isolated ? { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" } : {};
      res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...isolation });
      res.end(body);
    };
    if (path === "/" || path === "/index.html") return send(200, "text/html", "<!doctype html><meta charset=utf-8><title>corex compute</title><body></body>");
    if (path === "/health") return send(200, "text/plain", "ok");
    const bundle = bundles.get(path);
    if (bundle) return send(200, "text/javascript", bundle);
    const wasm = /^\/tfjs\/(tfjs-backend-wasm[a-z-]*\.wasm)$/.exec(path);
    if (wasm) {
      try {
        return send(200, "application/wasm", await readFile(join(TFJS_WASM_DIR, wasm[1])));
      } catch {
        return send(404, "text/plain", "not found");
      }
    }
    send(404, "text/plain", "not found");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const { port: actual } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
