import { z } from "zod";
import { addressRe, optionalInt } from "./define";
import { chainId, database, databasePool, deployments, rpc } from "./shared";

/**
 * `npm run indexer` (scripts/indexer.ts). The tuning variables are optional: unset (or empty), lib/indexer's
 * own defaults apply, which the docs name.
 */
export const indexerShape = {
  DATABASE_URL: database.local,
  ...databasePool,
  RPC_URL: rpc.local,
  CHAIN_ID: chainId,
  ...deployments,
  INDEXER_FINALITY_DEPTH: optionalInt(1).describe("Blocks below head − depth are final; a deeper reorg stops the indexer.").meta({ docDefault: "64" }),
  INDEXER_MAX_BLOCK_RANGE: optionalInt(1).describe("Largest `eth_getLogs` range (split further when the provider refuses).").meta({ docDefault: "5000" }),
  INDEXER_CONCURRENCY: optionalInt(1).describe("Ranges fetched ahead in parallel.").meta({ docDefault: "4" }),
  INDEXER_POLL_MS: optionalInt(10).describe("Head poll interval in milliseconds.").meta({ docDefault: "1000" }),
  INDEXER_BATCH_EVENTS: optionalInt(1).describe("Events per committed batch the adaptive range size aims at.").meta({ docDefault: "10000" }),
  INDEXER_CONTRACTS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be JSON" });
        return z.NEVER;
      }
    })
    .pipe(z.array(z.object({ name: z.string(), address: z.string().regex(addressRe), startBlock: z.number().int().nonnegative() })).optional())
    .describe("JSON `[{name,address,startBlock}]` of the contracts to follow instead of the deployment file's (tests, benchmarks).")
    .meta({ docDefault: "the deployment file's", docType: "JSON array" }),
};

export const indexerEnvSchema = z.object(indexerShape);

export type IndexerEnv = z.infer<typeof indexerEnvSchema>;
