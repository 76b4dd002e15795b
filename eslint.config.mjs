import fs from "node:fs";
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Module boundaries (README → Layout).
// 1. One public surface per domain: code outside lib/<domain> imports it only through `@/lib/<domain>`
//    (index.ts: the server's surface, `server-only` where the domain holds the database, chain keys or
//    the file system) or `@/lib/<domain>/client` (the isomorphic part browsers load). Reaching into another
//    domain's files couples callers to its internals: a fix or a move then has to find every caller.
// 2. `@/lib/db` is the only way to a database client.
// 3. lib/protocol (the wire contract workers build against) is imported by browsers, so it reaches no
//    server or Node code; lib/worker builds against @/lib/protocol and @/lib/compute only.
const domains = fs
  .readdirSync(new URL("./lib", import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

const surface = (own) => ({
  regex: own ? `^@/lib/(?!${own}/)[^/]+/(?!client$).+` : "^@/lib/[^/]+/(?!client$).+",
  message: "Import another domain through its public surface: @/lib/<domain> (server) or @/lib/<domain>/client (isomorphic). See README → Layout.",
});
const dbOnly = "Use @/lib/db: it is the only way to a database client.";
const serverOnly = ["server-only", "node:*", "@/lib/db", "@/lib/db/*", "@/lib/scheduler", "@/lib/scheduler/*", "@/lib/auth", "@/lib/auth/*", "@/lib/api", "@/lib/api/*", "@/lib/blobs", "@/lib/blobs/*", "@/lib/env"];
const extra = {
  protocol: [{ group: serverOnly, message: "lib/protocol is isomorphic: no server-only or Node imports" }],
  worker: [
    { regex: "^@/(?!lib/(protocol|compute|worker)(/|$))", message: "lib/worker builds against @/lib/protocol and @/lib/compute only" },
    { group: ["server-only", "node:*"], message: "lib/worker is isomorphic (the CLI's Node parts live in fs-cache.ts and scripts/worker.ts)" },
  ],
};
const boundaries = (own) => ({
  "no-restricted-imports": [
    "error",
    {
      paths: [
        { name: "@prisma/client", message: dbOnly },
        { name: "@prisma/adapter-pg", message: dbOnly },
      ],
      patterns: [surface(own), ...(extra[own] ?? [])],
    },
  ],
});

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  { files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "scripts/**/*.ts", "*.ts"], rules: boundaries(null) },
  ...domains.map((d) => ({ files: [`lib/${d}/**/*.{ts,tsx}`], rules: boundaries(d) })),
  // The CLI's folder cache is lib/worker's one Node module.
  { files: ["lib/worker/fs-cache.ts"], rules: boundaries("fs-cache") },
  // Tests may reach into internals (they test them); lib/db and scripts/db work below the client.
  {
    files: ["**/*.test.ts", "**/*.test.tsx", "e2e/**", "test/**", "scripts/db/**", "lib/db/**"],
    rules: { "no-restricted-imports": "off" },
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
