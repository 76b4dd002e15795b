/**
 * Deploys CXTToken, Staking, ContributionLedger, TaskManager, TimelockController and CorexGovernor,
 * wires their roles through constructor arguments (addresses precomputed from the deployer's nonce)
 * and writes contracts-abi/deployments/<chainId>.json. CLI env: RPC_URL, DEPLOYER_PRIVATE_KEY
 * (defaults: local anvil, anvil account #0), COORDINATOR_ADDRESS, SLASHER_ADDRESS, RESOLVER_ADDRESS,
 * HAND_OVER (1: the timelock gets the admin roles; default on every chain but 31337), UNBONDING_SECONDS,
 * CHALLENGE_SECONDS, ALLOW_UNSAFE_DEPLOY.
 * Outside chain id 31337 it refuses anvil's well-known keys and addresses, a challenge window under an
 * hour, an unbonding period under a day, HAND_OVER=0, a coordinator that is the deployer, a cancel
 * grace or an epoch interval under an hour and a timelock delay shorter than the unbonding period, and
 * says why; ALLOW_UNSAFE_DEPLOY=1 deploys anyway, printing every refusal as a warning. On every chain
 * it refuses a slasher equal to the oracle (the contracts would revert) and a resolver equal to it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  getContractAddress,
  http,
  parseEther,
  zeroAddress,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { parseEnv } from "@/lib/config";
import { deployEnvSchema } from "@/lib/config";
import { contributionLedgerAbi, contributionLedgerBytecode } from "@/contracts-abi/contribution-ledger";
import { corexGovernorAbi, corexGovernorBytecode } from "@/contracts-abi/corex-governor";
import { cxtTokenAbi, cxtTokenBytecode } from "@/contracts-abi/cxt-token";
import { stakingAbi, stakingBytecode } from "@/contracts-abi/staking";
import { taskManagerAbi, taskManagerBytecode } from "@/contracts-abi/task-manager";
import { timelockControllerAbi, timelockControllerBytecode } from "@/contracts-abi/timelock-controller";

import type { ContractName, Deployment } from "@/lib/chain/client";

/** Anvil's well-known account #0 (never use on a real chain). */
export const ANVIL_DEPLOYER_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
/** The dev chain: the only chain id where test keys and short windows are accepted. */
export const DEV_CHAIN_ID = 31337;
/** anvil's (and hardhat's) default mnemonic: its keys are public, so its accounts are anyone's. */
export const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";
/** The first 20 accounts of ANVIL_MNEMONIC (anvil prints 10, hardhat 20); deploy.test.ts re-derives them. */
export const ANVIL_ADDRESSES: readonly Address[] = [
  "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  "0x90F79bf6EB2c4f870365E785982E1f101E93b906", "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65", "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
  "0x976EA74026E726554dB657fA54763abd0C3a0aa9", "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955", "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
  "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720", "0xBcd4042DE499D14e55001CcbB24a551F3b954096", "0x71bE63f3384f5fb98995898A86B02Fb2426c5788",
  "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a", "0x1CBd3b2770909D4e10f157cABC84C7264073C9Ec", "0xdF3e18d64BC6A983f673Ab319CCaE4f1a57C7097",
  "0xcd3B766CCDd6AE721141F452C550Ca635964ce71", "0x2546BcD3c84621e976D8185a91A922aE77ECEc30", "0xbDA5747bFD65F08deb54cb465eB87D40e51B197E",
  "0xdD2FD4581271e230360230F9337D5c0430Bf44C0", "0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199",
];
/** Dev-chain resolver when none is given: anvil account #9, so the dev oracle (#0) never resolves its own roots. */
export const DEV_RESOLVER: Address = ANVIL_ADDRESSES[9];
/**
 * Dev-chain faucet (POST /api/faucet): anvil account #10, outside the ten anvil funds and unlocks, so no
 * role or demo wallet shares its nonce. The dev seed gives it DEV_FAUCET_CXT from the genesis rewards
 * (never minted for it) and gas; that is all it can ever pay out.
 */
export const DEV_FAUCET_INDEX = 10;
export const DEV_FAUCET: Address = ANVIL_ADDRESSES[DEV_FAUCET_INDEX];
export const DEV_FAUCET_CXT = 20_000n;
/** Dev-chain slasher when none is given: anvil account #8, so the dev oracle (#0) never slashes. */
export const DEV_SLASHER: Address = ANVIL_ADDRESSES[8];
/** Floors outside the dev chain (seconds): the contracts enforce the first two as well. */
export const MIN_CANCEL_GRACE_SECONDS = 3600;
export const MIN_EPOCH_INTERVAL_SECONDS = 3600;
export const DEFAULT_DEPLOYMENTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "contracts-abi", "deployments");

export type { ContractName };
/** Deployment order (the nonces the addresses are precomputed from). */
export const CONTRACT_NAMES: readonly ContractName[] = ["CXTToken", "Staking", "ContributionLedger", "TaskManager", "TimelockController", "CorexGovernor"];

export type EmissionConfig = {
  /** CXT wei per epoch before the first halving. */
  initialEpochCap: bigint;
  /** Epochs between halvings. */
  halvingEpochs: number;
  /** CXT wei ever mintable through the ledger (≤ CXTToken.MAX_SUPPLY). */
  maxEmission: bigint;
};

export type GovernanceConfig = {
  /** TimelockController minimum delay (seconds; at least the unbonding period outside the dev chain). */
  timelockDelaySeconds: number;
  /** Seconds between a proposal and the start of its vote (Staking's clock is timestamps). */
  votingDelaySeconds: number;
  /** Seconds a vote lasts. */
  votingPeriodSeconds: number;
  /** Percent of the total governance weight at the snapshot that must vote For or Abstain. */
  quorumPercent: number;
  /** Governance weight needed to propose (stake × tier multiplier, CXT wei). */
  proposalThreshold: bigint;
  /** The least quorum whatever the total weight (weight, CXT wei): one early staker cannot meet it alone. */
  bootstrapQuorum: bigint;
};

export const DEFAULT_EMISSION: EmissionConfig = {
  // 730 epochs (two years of daily epochs) per halving: Σ caps = 2 × 500k × 730 = 730M CXT < 1B MAX_SUPPLY.
  initialEpochCap: parseEther("500000"),
  halvingEpochs: 730,
  maxEmission: parseEther("1000000000"),
};

/** Dev chain: short enough for a demo and a test to propose, vote and execute in seconds. */
export const DEV_GOVERNANCE: GovernanceConfig = { timelockDelaySeconds: 60, votingDelaySeconds: 1, votingPeriodSeconds: 20, quorumPercent: 4, proposalThreshold: 0n, bootstrapQuorum: 0n };
/**
 * Real chains: an 8-day timelock (longer than the 7-day unbonding period, so a voter cannot leave
 * before a passed proposal runs), 1 day before the vote, a 1-week vote, 1,000 weight to propose, and
 * a bootstrap quorum of 2,000,000 weight: the first epochs emit at most 500,000 CXT each, so no single
 * early staker holds that much until about a week of emission has gone to many nodes.
 */
export const LIVE_GOVERNANCE: GovernanceConfig = {
  timelockDelaySeconds: 8 * 86_400,
  votingDelaySeconds: 86_400,
  votingPeriodSeconds: 7 * 86_400,
  quorumPercent: 4,
  proposalThreshold: parseEther("1000"),
  bootstrapQuorum: parseEther("2000000"),
};

export type DeployOptions = {
  rpcUrl: string;
  privateKey?: Hex;
  /** Staking unbonding delay (dev default 300 s, elsewhere 7 days; at least a day outside the dev chain). */
  unbondingSeconds?: number;
  /** Ledger challenge window (dev default 60 s, elsewhere 1 day; at least an hour outside the dev chain). */
  challengeSeconds?: number;
  /** Gets ORACLE (posts epochs) and COORDINATOR (tasks) roles; default: the deployer (refused off 31337). */
  coordinator?: Address;
  /** Gets SLASHER_ROLE; never the coordinator. Dev default: anvil account #8; required elsewhere. */
  slasher?: Address;
  /** Seconds between two epoch posts (dev default 0, elsewhere 1 day; at least an hour outside the dev chain). */
  minEpochIntervalSeconds?: number;
  /** Seconds the resolver has to judge a dispute before anyone may settle it as upheld (dev 3600 s, elsewhere 3 days). */
  resolutionSeconds?: number;
  /** Seconds slashed CXT waits in escrow (governance may return it) before it can be burned (dev 300 s, elsewhere 14 days). */
  slashAppealSeconds?: number;
  /** Deploy despite the refusals outside the dev chain, printing each as a warning. */
  allowUnsafe?: boolean;
  /** Gets RESOLVER_ROLE (judges disputes); must differ from the coordinator. Dev default: anvil account #9. */
  resolver?: Address;
  /** The timelock (governed by CorexGovernor) gets DEFAULT_ADMIN_ROLE instead of the deployer. Default: true outside the dev chain. */
  handOver?: boolean;
  /** AccessControlDefaultAdminRules delay for admin transfers (dev 60 s, elsewhere 1 day). */
  adminDelaySeconds?: number;
  /** Seconds the coordinator has to settle a requested task cancellation (dev 120 s, elsewhere 1 day). */
  cancelGraceSeconds?: number;
  emission?: Partial<EmissionConfig>;
  governance?: Partial<GovernanceConfig>;
  /** Minimum active stake of a disputing verifier's node (default 100 CXT). */
  minDisputeStake?: bigint;
  /** CXT a disputer escrows (default 100 CXT). */
  disputeBond?: bigint;
  /** Where `<chainId>.json` goes; `null` writes nothing (tests). */
  deploymentsDir?: string | null;
  log?: (s: string) => void;
};

export type RefusalInput = {
  deployer: Address; coordinator: Address; resolver: Address; challengeSeconds: number; unbondingSeconds: number;
  /** The settings below are checked only when given (older callers). */
  slasher?: Address; handOver?: boolean; cancelGraceSeconds?: number; timelockDelaySeconds?: number; minEpochIntervalSeconds?: number;
};

/** Why a deployment must not go to a real chain with these settings (empty on the dev chain). */
export function refusals(chainId: number, s: RefusalInput): string[] {
  if (chainId === DEV_CHAIN_ID) return [];
  // Each reason names what goes wrong on a real chain; chain 31337 (anvil) accepts all of these.
  const out: string[] = [];
  const known = new Set(ANVIL_ADDRESSES.map((a) => a.toLowerCase()));
  if (known.has(s.deployer.toLowerCase())) out.push(`the deployer key is one of anvil's well-known test keys (${s.deployer}): anyone can sign with it`);
  if (known.has(s.coordinator.toLowerCase())) out.push(`the coordinator ${s.coordinator} is an anvil test account: anyone could post epochs and slash`);
  if (known.has(s.resolver.toLowerCase())) out.push(`the resolver ${s.resolver} is an anvil test account: anyone could judge disputes`);
  if (s.challengeSeconds < 3600) out.push(`challenge window ${s.challengeSeconds} s is under one hour: watchtowers need time to recompute a root and dispute it`);
  if (s.unbondingSeconds < 86_400) out.push(`unbonding period ${s.unbondingSeconds} s is under one day: a node could leave before its faults are slashed`);
  out.push(...roleRefusals(s));
  if (out.length > 0) out.push(`(only chain id ${DEV_CHAIN_ID}, the dev chain, accepts these)`);
  return out;
}

/** The refusals about who holds what and how fast governance and cancellations move. */
function roleRefusals(s: RefusalInput): string[] {
  const out: string[] = [];
  if (s.handOver === false) out.push("HAND_OVER=0: the deployer key would stay admin of every contract, with no vote and no delay");
  if (s.coordinator.toLowerCase() === s.deployer.toLowerCase()) out.push(`COORDINATOR_ADDRESS is the deployer (${s.deployer}): the hot key that posts epochs would also be the key that deployed and may hold admin`);
  if (s.slasher && s.slasher.toLowerCase() === s.coordinator.toLowerCase()) out.push(`SLASHER_ADDRESS is the coordinator (${s.slasher}): the key that posts roots must not also burn stakes`);
  if (s.cancelGraceSeconds !== undefined && s.cancelGraceSeconds < MIN_CANCEL_GRACE_SECONDS) out.push(`cancel grace ${s.cancelGraceSeconds} s is under ${MIN_CANCEL_GRACE_SECONDS} s: a creator could cancel before the coordinator pays accepted work`);
  if (s.minEpochIntervalSeconds !== undefined && s.minEpochIntervalSeconds < MIN_EPOCH_INTERVAL_SECONDS) out.push(`epoch interval ${s.minEpochIntervalSeconds} s is under ${MIN_EPOCH_INTERVAL_SECONDS} s: the emission schedule is per epoch, so short epochs would emit it faster`);
  if (s.timelockDelaySeconds !== undefined && s.timelockDelaySeconds < s.unbondingSeconds) out.push(`timelock delay ${s.timelockDelaySeconds} s is shorter than the unbonding period ${s.unbondingSeconds} s: voters could unstake and leave before a passed proposal runs`);
  return out;
}

async function chainFor(rpcUrl: string) {
  const probe = createPublicClient({ transport: http(rpcUrl) });
  const id = await probe.getChainId();
  return defineChain({
    id,
    name: id === DEV_CHAIN_ID ? "Anvil" : `Chain ${id}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

/** The settings a deployment uses: the options, with each default for the dev chain or a real one. */
function settingsFor(opts: DeployOptions, dev: boolean, deployer: Address) {
  return {
    coordinator: getAddress(opts.coordinator ?? deployer),
    slasher: getAddress(opts.slasher ?? (dev ? DEV_SLASHER : zeroAddress)),
    resolver: getAddress(opts.resolver ?? (dev ? DEV_RESOLVER : zeroAddress)),
    // Dev: 0, so `npm run dev` and the tests post epochs at demo speed (tests that need it set their own).
    minEpochIntervalSeconds: opts.minEpochIntervalSeconds ?? (dev ? 0 : 86_400),
    resolutionSeconds: opts.resolutionSeconds ?? (dev ? 3600 : 3 * 86_400),
    slashAppealSeconds: opts.slashAppealSeconds ?? (dev ? 300 : 14 * 86_400),
    allowUnsafe: opts.allowUnsafe ?? false,
    unbondingSeconds: opts.unbondingSeconds ?? (dev ? 300 : 7 * 86_400),
    challengeSeconds: opts.challengeSeconds ?? (dev ? 60 : 86_400),
    adminDelaySeconds: opts.adminDelaySeconds ?? (dev ? 60 : 86_400),
    cancelGraceSeconds: opts.cancelGraceSeconds ?? (dev ? 120 : 86_400),
    handOver: opts.handOver ?? !dev,
    emission: { ...DEFAULT_EMISSION, ...opts.emission },
    gov: { ...(dev ? DEV_GOVERNANCE : LIVE_GOVERNANCE), ...opts.governance },
    minDisputeStake: opts.minDisputeStake ?? parseEther("100"),
    disputeBond: opts.disputeBond ?? parseEther("100"),
  };
}

type Settings = ReturnType<typeof settingsFor>;

function refuseUnsafe(chainId: number, deployer: Address, s: Settings, log: (s: string) => void) {
  const { coordinator, resolver, slasher, challengeSeconds, unbondingSeconds, handOver, cancelGraceSeconds, minEpochIntervalSeconds } = s;
  const overridable = refusals(chainId, { deployer, coordinator, resolver, slasher, challengeSeconds, unbondingSeconds, handOver, cancelGraceSeconds, minEpochIntervalSeconds, timelockDelaySeconds: s.gov.timelockDelaySeconds });
  // These hold on every chain (the contracts themselves would revert, or nobody could act).
  const always: string[] = [];
  if (resolver === zeroAddress) always.push("no resolver: set RESOLVER_ADDRESS to a key other than the coordinator's, so the oracle never judges its own roots");
  else if (resolver === coordinator) always.push(`the resolver ${resolver} is the coordinator (the oracle): the oracle must not judge its own roots`);
  if (slasher === zeroAddress) always.push("no slasher: set SLASHER_ADDRESS to a key other than the coordinator's");
  else if (slasher === coordinator) always.push(`SLASHER_ADDRESS ${slasher} is the coordinator (the oracle): the key that posts roots must not also slash stakes`);
  if (challengeSeconds <= 0) always.push("the challenge window must be longer than 0 s: nobody could dispute a root");
  if (always.length > 0) throw new Error(`refusing to deploy to chain ${chainId}:\n- ${[...always, ...overridable].join("\n- ")}`);
  if (overridable.length === 0) return;
  if (!s.allowUnsafe) throw new Error(`refusing to deploy to chain ${chainId}:\n- ${overridable.join("\n- ")}\n(ALLOW_UNSAFE_DEPLOY=1 deploys anyway; never on a chain holding real value)`);
  const bar = "!".repeat(78);
  log(`${bar}\nALLOW_UNSAFE_DEPLOY=1: deploying to chain ${chainId} DESPITE:\n- ${overridable.join("\n- ")}\n${bar}`);
}

type Deployed = { address: Address; blockNumber: number };

/**
 * Every contract's address follows from the deployer's nonce, so each constructor gets the others'
 * addresses (the token its minter, Staking its ledger, the timelock its governor) and no admin call
 * is needed afterwards: with `handOver` the timelock is the admin from the first block.
 */
async function deployContracts(rpcUrl: string, chain: Awaited<ReturnType<typeof chainFor>>, account: PrivateKeyAccount, s: Settings, log: (s: string) => void) {
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ chain, transport }) as PublicClient;
  const wallet = createWalletClient({ chain, transport, account });
  const deployer = account.address;
  const nonce0 = await publicClient.getTransactionCount({ address: deployer, blockTag: "pending" });
  const predicted = Object.fromEntries(
    CONTRACT_NAMES.map((name, i) => [name, getContractAddress({ from: deployer, nonce: BigInt(nonce0 + i) })]),
  ) as Record<ContractName, Address>;
  const admin = s.handOver ? predicted.TimelockController : deployer;

  let nonce = nonce0;
  const deploy = async (name: ContractName, abi: Abi, bytecode: Hex, args: readonly unknown[]): Promise<Deployed> => {
    const hash = await wallet.deployContract({ abi, bytecode, args, nonce: nonce++ });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success" || !receipt.contractAddress) throw new Error(`deploying ${name} failed (${hash})`);
    const address = getAddress(receipt.contractAddress);
    if (address !== predicted[name]) throw new Error(`${name} landed at ${address}, not ${predicted[name]}: another transaction used the deployer's nonce; deploy again`);
    log(`${name} at ${address} (block ${receipt.blockNumber})`);
    return { address, blockNumber: Number(receipt.blockNumber) };
  };

  const { coordinator, resolver, adminDelaySeconds, emission, gov } = s;
  const token = await deploy("CXTToken", cxtTokenAbi, cxtTokenBytecode, [predicted.ContributionLedger]);
  const staking = await deploy("Staking", stakingAbi, stakingBytecode, [token.address, BigInt(s.unbondingSeconds), admin, adminDelaySeconds, s.slasher, predicted.ContributionLedger, BigInt(s.slashAppealSeconds)]);
  const ledger = await deploy("ContributionLedger", contributionLedgerAbi, contributionLedgerBytecode, [
    token.address,
    staking.address,
    { admin, adminDelay: adminDelaySeconds, oracle: coordinator, resolver },
    {
      challengeWindow: BigInt(s.challengeSeconds),
      halvingEpochs: BigInt(emission.halvingEpochs),
      initialEpochCap: emission.initialEpochCap,
      maxEmission: emission.maxEmission,
      minDisputeStake: s.minDisputeStake,
      disputeBond: s.disputeBond,
      minEpochInterval: BigInt(s.minEpochIntervalSeconds),
      resolutionPeriod: BigInt(s.resolutionSeconds),
    },
  ]);
  const tasks = await deploy("TaskManager", taskManagerAbi, taskManagerBytecode, [token.address, ledger.address, admin, adminDelaySeconds, coordinator, BigInt(s.cancelGraceSeconds)]);
  // Only the governor proposes (and cancels); anyone executes a passed, delayed operation; no timelock admin.
  const timelock = await deploy("TimelockController", timelockControllerAbi, timelockControllerBytecode, [BigInt(gov.timelockDelaySeconds), [predicted.CorexGovernor], [zeroAddress], zeroAddress]);
  const governor = await deploy("CorexGovernor", corexGovernorAbi, corexGovernorBytecode, [
    staking.address,
    timelock.address,
    gov.votingDelaySeconds,
    gov.votingPeriodSeconds,
    gov.proposalThreshold,
    BigInt(gov.quorumPercent),
    gov.bootstrapQuorum,
  ]);
  log(`roles wired: ledger mints and records work; oracle/coordinator ${coordinator}; slasher ${s.slasher}; resolver ${resolver}; admin ${admin}${s.handOver ? " (the timelock)" : " (the deployer)"}`);
  const contracts = { CXTToken: token, Staking: staking, ContributionLedger: ledger, TaskManager: tasks, TimelockController: timelock, CorexGovernor: governor };
  return { contracts, admin };
}

function deploymentRecord(chainId: number, deployer: Address, s: Settings, deployed: Awaited<ReturnType<typeof deployContracts>>): Deployment {
  const { emission, gov } = s;
  return {
    chainId,
    deployedAt: new Date().toISOString(),
    contracts: deployed.contracts,
    config: {
      unbondingSeconds: s.unbondingSeconds,
      challengeSeconds: s.challengeSeconds,
      initialEpochCap: emission.initialEpochCap.toString(),
      halvingEpochs: emission.halvingEpochs,
      maxEmission: emission.maxEmission.toString(),
      minDisputeStake: s.minDisputeStake.toString(),
      disputeBond: s.disputeBond.toString(),
      adminDelaySeconds: s.adminDelaySeconds,
      cancelGraceSeconds: s.cancelGraceSeconds,
      timelockDelaySeconds: gov.timelockDelaySeconds,
      votingDelaySeconds: gov.votingDelaySeconds,
      votingPeriodSeconds: gov.votingPeriodSeconds,
      quorumPercent: gov.quorumPercent,
      proposalThreshold: gov.proposalThreshold.toString(),
      bootstrapQuorum: gov.bootstrapQuorum.toString(),
      minEpochIntervalSeconds: s.minEpochIntervalSeconds,
      resolutionSeconds: s.resolutionSeconds,
      slashAppealSeconds: s.slashAppealSeconds,
    },
    roles: { admin: deployed.admin, coordinator: s.coordinator, slasher: s.slasher, resolver: s.resolver, deployer, handedOver: s.handOver },
  };
}

/** Deploys everything, wires roles, writes the deployment file (unless disabled) and returns it. */
export async function deployAll(opts: DeployOptions): Promise<Deployment> {
  const log = opts.log ?? (() => {});
  const chain = await chainFor(opts.rpcUrl);
  const account = privateKeyToAccount(opts.privateKey ?? ANVIL_DEPLOYER_KEY);
  const settings = settingsFor(opts, chain.id === DEV_CHAIN_ID, account.address);
  refuseUnsafe(chain.id, account.address, settings, log);

  const deployment = deploymentRecord(chain.id, account.address, settings, await deployContracts(opts.rpcUrl, chain, account, settings, log));
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
  // lib/config/tools.ts (deployShape), validated before anything is sent.
  Promise.resolve()
    .then(() => parseEnv("contracts:deploy", deployEnvSchema))
    .then((env) =>
      deployAll({
        rpcUrl: env.RPC_URL,
        privateKey: env.DEPLOYER_PRIVATE_KEY as Hex | undefined,
        unbondingSeconds: env.UNBONDING_SECONDS,
        challengeSeconds: env.CHALLENGE_SECONDS,
        coordinator: env.COORDINATOR_ADDRESS as Address | undefined,
        slasher: env.SLASHER_ADDRESS as Address | undefined,
        allowUnsafe: env.ALLOW_UNSAFE_DEPLOY,
        resolver: env.RESOLVER_ADDRESS as Address | undefined,
        handOver: env.HAND_OVER,
        log: console.log,
      }),
    )
    .catch((e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
