/**
 * Deploys CXTToken, Staking, ContributionLedger and TaskManager, wires their roles and writes
 * contracts-abi/deployments/<chainId>.json. CLI: RPC_URL, DEPLOYER_PRIVATE_KEY (defaults: local anvil,
 * anvil account #0), optional UNBONDING_SECONDS, CHALLENGE_SECONDS, COORDINATOR_ADDRESS.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  http,
  parseEther,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { contributionLedgerAbi, contributionLedgerBytecode } from "@/contracts-abi/contribution-ledger";
import { cxtTokenAbi, cxtTokenBytecode } from "@/contracts-abi/cxt-token";
import { stakingAbi, stakingBytecode } from "@/contracts-abi/staking";
import { taskManagerAbi, taskManagerBytecode } from "@/contracts-abi/task-manager";

import type { ContractName } from "@/lib/chain/deployment";

/** Anvil's well-known account #0 (never use on a real chain). */
export const ANVIL_DEPLOYER_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
export const DEFAULT_DEPLOYMENTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "contracts-abi", "deployments");

export type { ContractName };
/** Deployment order: the token first (the ledger needs it), the task manager last. */
export const CONTRACT_NAMES: readonly ContractName[] = ["CXTToken", "Staking", "ContributionLedger", "TaskManager"];

export type EmissionConfig = {
  /** CXT wei per epoch before the first halving. */
  initialEpochCap: bigint;
  /** Epochs between halvings. */
  halvingEpochs: number;
  /** CXT wei ever mintable through the ledger (≤ CXTToken.MAX_SUPPLY). */
  maxEmission: bigint;
};

export type Deployment = {
  chainId: number;
  deployedAt: string;
  contracts: Record<ContractName, { address: Address; blockNumber: number }>;
  config: {
    unbondingSeconds: number;
    challengeSeconds: number;
    initialEpochCap: string;
    halvingEpochs: number;
    maxEmission: string;
    minDisputeStake: string;
  };
  roles: { admin: Address; coordinator: Address };
};

export const DEFAULT_EMISSION: EmissionConfig = {
  // 730 epochs (two years of daily epochs) per halving: Σ caps = 2 × 500k × 730 = 730M CXT < 1B MAX_SUPPLY.
  initialEpochCap: parseEther("500000"),
  halvingEpochs: 730,
  maxEmission: parseEther("1000000000"),
};

export type DeployOptions = {
  rpcUrl: string;
  privateKey?: Hex;
  /** Staking unbonding delay (dev default 300 s). */
  unbondingSeconds?: number;
  /** Ledger challenge window (dev default 60 s). */
  challengeSeconds?: number;
  /** Gets SLASHER, ORACLE, RESOLVER and COORDINATOR roles; default: the deployer. */
  coordinator?: Address;
  emission?: Partial<EmissionConfig>;
  /** Minimum active stake of a disputing verifier's node (default 100 CXT). */
  minDisputeStake?: bigint;
  /** Where `<chainId>.json` goes; `null` writes nothing (tests). */
  deploymentsDir?: string | null;
  log?: (s: string) => void;
};

async function chainFor(rpcUrl: string) {
  const probe = createPublicClient({ transport: http(rpcUrl) });
  const id = await probe.getChainId();
  return defineChain({
    id,
    name: id === 31337 ? "Anvil" : `Chain ${id}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

/** Deploys everything, wires roles, writes the deployment file (unless disabled) and returns it. */
export async function deployAll(opts: DeployOptions): Promise<Deployment> {
  const log = opts.log ?? (() => {});
  const chain = await chainFor(opts.rpcUrl);
  const account = privateKeyToAccount(opts.privateKey ?? ANVIL_DEPLOYER_KEY);
  const transport = http(opts.rpcUrl);
  const publicClient = createPublicClient({ chain, transport }) as PublicClient;
  const wallet = createWalletClient({ chain, transport, account });
  const coordinator = opts.coordinator ?? account.address;
  const unbondingSeconds = opts.unbondingSeconds ?? 300;
  const challengeSeconds = opts.challengeSeconds ?? 60;
  const emission = { ...DEFAULT_EMISSION, ...opts.emission };
  const minDisputeStake = opts.minDisputeStake ?? parseEther("100");

  const deploy = async (name: ContractName, abi: Abi, bytecode: Hex, args: readonly unknown[]) => {
    const hash = await wallet.deployContract({ abi, bytecode, args });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success" || !receipt.contractAddress) throw new Error(`deploying ${name} failed (${hash})`);
    const address = getAddress(receipt.contractAddress);
    log(`${name} at ${address} (block ${receipt.blockNumber})`);
    return { address, blockNumber: Number(receipt.blockNumber) };
  };
  const send = async (to: Address, abi: Abi, functionName: string, args: readonly unknown[]) => {
    const hash = await wallet.writeContract({ address: to, abi, functionName, args });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${functionName} failed (${hash})`);
  };

  const token = await deploy("CXTToken", cxtTokenAbi, cxtTokenBytecode, []);
  const staking = await deploy("Staking", stakingAbi, stakingBytecode, [token.address, account.address, BigInt(unbondingSeconds)]);
  const ledger = await deploy("ContributionLedger", contributionLedgerAbi, contributionLedgerBytecode, [
    token.address,
    staking.address,
    account.address,
    {
      challengeWindow: BigInt(challengeSeconds),
      halvingEpochs: BigInt(emission.halvingEpochs),
      initialEpochCap: emission.initialEpochCap,
      maxEmission: emission.maxEmission,
      minDisputeStake,
    },
  ]);
  const tasks = await deploy("TaskManager", taskManagerAbi, taskManagerBytecode, [token.address, account.address]);

  const role = (name: string) =>
    publicClient.readContract({ address: staking.address, abi: stakingAbi, functionName: name as "SLASHER_ROLE" });
  const [slasherRole, workRecorderRole] = await Promise.all([role("SLASHER_ROLE"), role("WORK_RECORDER_ROLE")]);
  const [oracleRole, resolverRole, coordinatorRole] = await Promise.all([
    publicClient.readContract({ address: ledger.address, abi: contributionLedgerAbi, functionName: "ORACLE_ROLE" }),
    publicClient.readContract({ address: ledger.address, abi: contributionLedgerAbi, functionName: "RESOLVER_ROLE" }),
    publicClient.readContract({ address: tasks.address, abi: taskManagerAbi, functionName: "COORDINATOR_ROLE" }),
  ]);

  await send(token.address, cxtTokenAbi, "setMinter", [ledger.address]);
  await send(staking.address, stakingAbi, "grantRole", [workRecorderRole, ledger.address]);
  await send(staking.address, stakingAbi, "grantRole", [slasherRole, coordinator]);
  await send(ledger.address, contributionLedgerAbi, "grantRole", [oracleRole, coordinator]);
  await send(ledger.address, contributionLedgerAbi, "grantRole", [resolverRole, coordinator]);
  await send(tasks.address, taskManagerAbi, "grantRole", [coordinatorRole, coordinator]);
  log(`roles wired: ledger mints and records work; coordinator ${coordinator}`);

  const deployment: Deployment = {
    chainId: chain.id,
    deployedAt: new Date().toISOString(),
    contracts: { CXTToken: token, Staking: staking, ContributionLedger: ledger, TaskManager: tasks },
    config: {
      unbondingSeconds,
      challengeSeconds,
      initialEpochCap: emission.initialEpochCap.toString(),
      halvingEpochs: emission.halvingEpochs,
      maxEmission: emission.maxEmission.toString(),
      minDisputeStake: minDisputeStake.toString(),
    },
    roles: { admin: account.address, coordinator },
  };
  const dir = opts.deploymentsDir === undefined ? DEFAULT_DEPLOYMENTS_DIR : opts.deploymentsDir;
  if (dir !== null) {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${chain.id}.json`);
    writeFileSync(file, JSON.stringify(deployment, null, 2) + "\n");
    log(`wrote ${file}`);
  }
  return deployment;
}

/** Reads `<dir>/<chainId>.json`, or null when there is none. */
export function readDeployment(chainId: number, deploymentsDir = DEFAULT_DEPLOYMENTS_DIR): Deployment | null {
  const file = join(deploymentsDir, `${chainId}.json`);
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, "utf8")) as Deployment;
}

/** True when a deployment file exists for the chain at `rpcUrl` and every contract in it has code. */
export async function deploymentMatchesChain(rpcUrl: string, deploymentsDir = DEFAULT_DEPLOYMENTS_DIR): Promise<boolean> {
  const client = createPublicClient({ transport: http(rpcUrl) });
  const chainId = await client.getChainId();
  const deployment = readDeployment(chainId, deploymentsDir);
  if (!deployment) return false;
  const codes = await Promise.all(
    CONTRACT_NAMES.map((name) => {
      const c = deployment.contracts[name];
      return c ? client.getCode({ address: c.address }) : Promise.resolve(undefined);
    }),
  );
  return codes.every((code) => code !== undefined && code !== "0x");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const env = process.env;
  deployAll({
    rpcUrl: env.RPC_URL ?? "http://127.0.0.1:8545",
    privateKey: env.DEPLOYER_PRIVATE_KEY as Hex | undefined,
    unbondingSeconds: env.UNBONDING_SECONDS ? Number(env.UNBONDING_SECONDS) : undefined,
    challengeSeconds: env.CHALLENGE_SECONDS ? Number(env.CHALLENGE_SECONDS) : undefined,
    coordinator: env.COORDINATOR_ADDRESS as Address | undefined,
    log: console.log,
  }).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
