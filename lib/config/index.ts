// The one home of every environment variable: each process's zod schema, and the list the
// configuration reference (docs/reference/configuration.md, `npm run docs:config`) is generated from.
import type { EnvSchema } from "./define";
import { appEnvSchema } from "./app";
import { benchIndexerEnvSchema, benchInferenceEnvSchema, benchKernelsEnvSchema, benchLoadEnvSchema, benchSchedulerEnvSchema, benchSoakEnvSchema, benchUploadEnvSchema, benchWebEnvSchema } from "./bench";
import { coordinatorEnvSchema } from "./coordinator";
import { devEnvSchema } from "./dev";
import { epochsEnvSchema } from "./epochs";
import { indexerEnvSchema } from "./indexer";
import { contractTestsEnvSchema, e2eEnvSchema, testDatabaseEnvSchema } from "./testing";
import { chromiumEnvSchema, computeLabEnvSchema, dbToolsEnvSchema, deployEnvSchema, nextDevEnvSchema, resolveDisputeEnvSchema, verifyEpochEnvSchema } from "./tools";
import { workerEnvSchema } from "./worker";

export { ConfigError, parseEnv, type EnvSource } from "./define";

/** A process (or tool) and the schema it validates its environment with at start-up. */
export type ProcessConfig = { name: string; schema: EnvSchema };

// zod objects with a refinement are still objects (`.shape` is there); the cast drops the refinement's type.
const s = (schema: unknown) => schema as EnvSchema;

export const processConfigs: readonly ProcessConfig[] = [
  { name: "app", schema: s(appEnvSchema) },
  { name: "indexer", schema: s(indexerEnvSchema) },
  { name: "coordinator", schema: s(coordinatorEnvSchema) },
  { name: "epochs", schema: s(epochsEnvSchema) },
  { name: "dev", schema: s(devEnvSchema) },
  { name: "worker", schema: s(workerEnvSchema) },
  { name: "next dev", schema: s(nextDevEnvSchema) },
  { name: "contracts:deploy", schema: s(deployEnvSchema) },
  { name: "verify-epoch", schema: s(verifyEpochEnvSchema) },
  { name: "resolve-dispute", schema: s(resolveDisputeEnvSchema) },
  { name: "db:migrate / db:diff", schema: s(dbToolsEnvSchema) },
  { name: "tests", schema: s(testDatabaseEnvSchema) },
  { name: "test:contracts", schema: s(contractTestsEnvSchema) },
  { name: "e2e", schema: s(e2eEnvSchema) },
  { name: "e2e / bench:kernels / make-icons", schema: s(chromiumEnvSchema) },
  { name: "test:compute-browser", schema: s(computeLabEnvSchema) },
  { name: "bench:web", schema: s(benchWebEnvSchema) },
  { name: "bench:load", schema: s(benchLoadEnvSchema) },
  { name: "bench:indexer", schema: s(benchIndexerEnvSchema) },
  { name: "bench:scheduler", schema: s(benchSchedulerEnvSchema) },
  { name: "bench:inference", schema: s(benchInferenceEnvSchema) },
  { name: "bench:kernels", schema: s(benchKernelsEnvSchema) },
  { name: "bench:upload", schema: s(benchUploadEnvSchema) },
  { name: "bench:soak", schema: s(benchSoakEnvSchema) },
];
export { database, deployments } from "./shared";
export { appEnvSchema } from "./app";
export type { AppEnv } from "./app";
export { benchIndexerEnvSchema, benchInferenceEnvSchema, benchKernelsEnvSchema, benchLoadEnvSchema, benchSchedulerEnvSchema, benchSoakEnvSchema, benchUploadEnvSchema, benchWebEnvSchema } from "./bench";
export { computeLabEnvSchema, deployEnvSchema, resolveDisputeEnvSchema, verifyEpochEnvSchema } from "./tools";
export { coordinatorEnvSchema } from "./coordinator";
export { MAX_DEV_WORKERS, devEnvSchema } from "./dev";
export { renderConfigurationDoc } from "./docs";
export { e2eEnvSchema } from "./testing";
export { epochsEnvSchema } from "./epochs";
export { indexerEnvSchema } from "./indexer";
export { workerEnvSchema } from "./worker";
