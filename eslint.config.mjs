import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Module boundaries of the worker protocol (README → Layout): lib/protocol is the one owner of the wire
// contract and is imported by browsers, so it must not reach server code; lib/worker builds against it
// and lib/compute only; everyone else uses lib/protocol's public surface, not its files.
const protocolDeepImport = { group: ["@/lib/protocol/*"], message: "import the protocol from @/lib/protocol (its public surface)" };
const serverOnly = ["server-only", "node:*", "@/lib/db", "@/lib/db/*", "@/lib/scheduler", "@/lib/scheduler/*", "@/lib/auth", "@/lib/auth/*", "@/lib/api", "@/lib/api/*", "@/lib/blobs", "@/lib/blobs/*", "@/lib/env"];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    files: ["**/*.{ts,tsx,mts,mjs}"],
    ignores: ["lib/protocol/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [protocolDeepImport] }] },
  },
  {
    files: ["lib/protocol/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: serverOnly, message: "lib/protocol is isomorphic: no server-only or Node imports" }] }] },
  },
  {
    files: ["lib/worker/**/*.ts"],
    ignores: ["**/*.test.ts", "lib/worker/fs-cache.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          protocolDeepImport,
          { regex: "^@/(?!lib/(protocol|compute)(/|$))", message: "lib/worker builds against @/lib/protocol and @/lib/compute only" },
          { group: ["server-only", "node:*"], message: "lib/worker is isomorphic (the CLI's Node parts live in fs-cache.ts and scripts/worker.ts)" },
        ],
      }],
    },
  },
  globalIgnores([
    ".next/**",
    ".data/**",
    "node_modules/**",
    "next-env.d.ts",
    "lib/db/generated/**",
    "test-results/**",
    "playwright-report/**",
    // AssemblyScript (its own types: f32, v128, usize), compiled by `npm run build:wasm`.
    "lib/compute/wasm/assembly/**",
    "lib/compute/wasm/kernels-wasm.ts",
  ]),
]);
