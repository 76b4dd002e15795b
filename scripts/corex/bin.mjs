#!/usr/bin/env node
// The `corex` command (package.json "bin"; `npx corex` in the repository): runs scripts/corex/main.ts
// through tsx with the repository's tsconfig (the `@/` paths), with `server-only` a no-op as in the
// unit tests (scripts/lib/outside-next.mjs) — the CLI reuses lib/chain's transaction sender.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../../tsconfig.json", import.meta.url)) });
await import("../lib/outside-next.mjs");
const { main } = await import("./main.ts");
process.exitCode = await main(process.argv.slice(2));
