import { z } from "zod";
import { flag, port } from "./define";
import { LOCAL_DATABASE_URL } from "./shared";

// The test harnesses: integration tests, contract property tests, the e2e server and Playwright's configs.

/** Integration tests (test/support/db.ts), the e2e server and `bench:scheduler`: where fresh databases are made. */
export const testDatabaseShape = {
  TEST_DATABASE_URL: z.string().min(1).default(LOCAL_DATABASE_URL).describe("Server on which each integration test file, the e2e run and `bench:scheduler` get a fresh database."),
};
export const testDatabaseEnvSchema = z.object(testDatabaseShape);

/** `npm run test:contracts` (contracts/test/property.test.ts). */
export const contractTestsShape = {
  PROPERTY_RUNS: z.coerce.number().int().min(1).default(20).describe("fast-check runs of the staking/claims property test."),
};
export const contractTestsEnvSchema = z.object(contractTestsShape);

/** The e2e server (scripts/e2e-server.ts) and Playwright's configs. */
export const e2eShape = {
  E2E_PORT: port().default(3100).describe("Port of the app Playwright starts."),
  E2E_ANVIL_PORT: port().default(18545).describe("Port of the chain Playwright starts."),
  E2E_NEXT_DEV: flag("0").describe("`1` serves `next dev` instead of `next start` (set by `test:e2e:dev`)."),
};
export const e2eEnvSchema = z.object(e2eShape);
