import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
// `server-only` throws outside React Server Components; in Node tests the boundary is moot.
const alias = { "@": root, "server-only": fileURLToPath(new URL("./test/support/empty.ts", import.meta.url)) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "components/**/*.test.ts", "app/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "contracts",
          include: ["contracts/test/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          // .stryker-tmp: StrykerJS's sandbox copy of the repository while npm run test:mutation runs
          exclude: ["node_modules/**", ".stryker-tmp/**"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One Postgres + several anvils on a 2-core machine: keep the fan-out small.
          maxWorkers: 2,
        },
      },
    ],
  },
});
