import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// `npm run test:mutation` (StrykerJS): only the unit tests of the pure modules that guard the protocol,
// so every mutant runs in milliseconds and needs no Postgres or anvil. See docs/development/tests.md.
const root = fileURLToPath(new URL(".", import.meta.url));
const alias = { "@": root, "server-only": fileURLToPath(new URL("./test/support/empty.ts", import.meta.url)) };

export default defineConfig({
  resolve: { alias },
  test: {
    // Only the tests of the mutated modules: a mutant that runs while a module loads (a zod schema, a
    // constant) is run against every test file listed here.
    include: [
      "lib/compute/outer.test.ts", "lib/compute/reference.test.ts", "lib/compute/predict.test.ts", "lib/protocol/*.test.ts", "lib/epochs/rules.test.ts", "lib/epochs/slashing.test.ts",
      "lib/jobs/spec.test.ts", "lib/jobs/work.test.ts", "lib/auth/*.test.ts", "lib/scheduler/verify-rules.test.ts",
    ],
    exclude: ["**/*.int.test.ts", "node_modules/**"],
  },
});
