import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// `npm run test:mutation` (StrykerJS): only the unit tests of the pure modules that guard the protocol,
// so every mutant runs in milliseconds and needs no Postgres or anvil. See README → Tests.
const root = fileURLToPath(new URL(".", import.meta.url));
const alias = { "@": root, "server-only": fileURLToPath(new URL("./test/support/empty.ts", import.meta.url)) };

export default defineConfig({
  resolve: { alias },
  test: {
    include: ["lib/compute/*.test.ts", "lib/protocol/*.test.ts", "lib/epochs/*.test.ts", "lib/jobs/*.test.ts", "lib/auth/*.test.ts", "lib/scheduler/*.test.ts"],
    exclude: ["**/*.int.test.ts", "node_modules/**"],
  },
});
