import { z } from "zod";

export const contractNames = ["CXTToken", "Staking", "TaskManager", "ContributionLedger", "TimelockController", "CorexGovernor"] as const;
export type ContractName = (typeof contractNames)[number];

const hexAddress = z.string().regex(/^0x[0-9a-fA-F]{40}$/).transform((a) => a as `0x${string}`);

/** Shape of `contracts-abi/deployments/<chainId>.json`, written by `npm run contracts:deploy`. */
export const deploymentSchema = z.object({
  chainId: z.number().int().positive(),
  deployedAt: z.string(),
  contracts: z.record(
    z.string(),
    z.object({ address: hexAddress, blockNumber: z.number().int().nonnegative() }),
  ),
});

export type Deployment = z.infer<typeof deploymentSchema>;

/** Lowest deploy block of a deployment: where the indexer starts backfilling. */
export function deploymentStartBlock(d: Deployment): number {
  return Math.min(...Object.values(d.contracts).map((c) => c.blockNumber));
}

export function contractAddress(d: Deployment | undefined, name: ContractName): `0x${string}` | undefined {
  return d?.contracts[name]?.address;
}
