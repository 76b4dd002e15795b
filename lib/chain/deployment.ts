import { z } from "zod";

export const contractNames = ["CXTToken", "Staking", "TaskManager", "ContributionLedger", "TimelockController", "CorexGovernor"] as const;
export type ContractName = (typeof contractNames)[number];

const hexAddress = z.string().regex(/^0x[0-9a-fA-F]{40}$/).transform((a) => a as `0x${string}`);

/**
 * What `npm run contracts:deploy` (scripts/contracts/deploy.ts `deployAll`) records in
 * `contracts-abi/deployments/<chainId>.json`: every contract, the constructor settings and who holds
 * which role. Amounts are decimal strings (JSON has no bigint).
 */
export type Deployment = {
  chainId: number;
  deployedAt: string;
  contracts: Record<ContractName, { address: `0x${string}`; blockNumber: number }>;
  config: {
    unbondingSeconds: number;
    challengeSeconds: number;
    initialEpochCap: string;
    halvingEpochs: number;
    maxEmission: string;
    minDisputeStake: string;
    disputeBond: string;
    adminDelaySeconds: number;
    cancelGraceSeconds: number;
    timelockDelaySeconds: number;
    /** Seconds (Staking's governance clock is timestamps). */
    votingDelaySeconds: number;
    votingPeriodSeconds: number;
    quorumPercent: number;
    proposalThreshold: string;
    /** The least quorum in governance weight (CXT wei × tier multiplier). */
    bootstrapQuorum: string;
    minEpochIntervalSeconds: number;
    resolutionSeconds: number;
    slashAppealSeconds: number;
  };
  /**
   * `admin` holds DEFAULT_ADMIN_ROLE on Staking, ContributionLedger and TaskManager: the timelock when
   * `handedOver`. `coordinator` posts epochs (oracle) and pays tasks; `slasher` slashes (never the oracle).
   */
  roles: { admin: `0x${string}`; coordinator: `0x${string}`; slasher: `0x${string}`; resolver: `0x${string}`; deployer: `0x${string}`; handedOver: boolean };
};

/**
 * The part of a Deployment file the app reads (where each contract lives), validated. Looser than
 * Deployment on purpose: tests and older files may name only some contracts and carry no config.
 */
export const deploymentSchema = z.object({
  chainId: z.number().int().positive(),
  deployedAt: z.string(),
  contracts: z.record(
    z.string(),
    z.object({ address: hexAddress, blockNumber: z.number().int().nonnegative() }),
  ),
});

export type DeploymentAddresses = z.infer<typeof deploymentSchema>;

/** Lowest deploy block of a deployment: where the indexer starts backfilling. */
export function deploymentStartBlock(d: DeploymentAddresses): number {
  return Math.min(...Object.values(d.contracts).map((c) => c.blockNumber));
}

export function contractAddress(d: DeploymentAddresses | undefined, name: ContractName): `0x${string}` | undefined {
  return d?.contracts[name]?.address;
}
