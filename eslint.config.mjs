import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
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
