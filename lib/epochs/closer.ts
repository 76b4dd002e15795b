import "server-only";
import { contributionLedgerAbi } from "@/contracts-abi/contribution-ledger";
import { stakingAbi } from "@/contracts-abi/staking";
import type { PrismaClient } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { Address, Hex } from "viem";
import { sendTx, type EpochChain } from "./chain";
import {
  EMPTY_CREDENTIALS_ROOT, EPOCH_RULES, computeRewards, credentialLeaf, credentialsTree, rewardsTree, stakeSeconds,
  type CredentialLeafInput, type CredentialRole, type RewardLeaf, type StakePoint,
} from "./rules";

/** pg advisory lock class of the closer ('EPOC'); the second key is the chain id. */
const LOCK_CLASS = 0x45504f43;
const STATUS = ["none", "posted", "disputed", "confirmed", "invalid"] as const;

export type CloseResult =
  | { status: "posted"; epoch: bigint; txHash: Hex; total: bigint; credentialCount: number; leaves: number }
  | { status: "skipped"; reason: string; epoch?: bigint };

/** What `GET /api/epochs/{n}/tree` publishes besides the trees: every input the watchtower needs. */
export type EpochInputs = {
  rules: typeof EPOCH_RULES;
  epoch: string;
  epochCap: string;
  pool: string;
  windowStart: number;
  windowEnd: number;
  closeBlock: string;
  /** The last valid epoch whose cumulative leaves this one extends (0 = none). */
  baseEpoch: string;
  /** The base leaves when the base epoch was not closed here (e.g. the dev seed's genesis): from claimedOf. */
  baseLeaves?: RewardLeaf[];
  tiers: Record<string, number>;
  owners: Record<string, string>;
  stakeSeconds: Record<string, string>;
  buckets: { compute: string; staking: string; verify: string };
};

type EpochOnChain = { status: number; postedAt: bigint; total: bigint };

export async function readChainEpoch(chain: EpochChain, epoch: bigint): Promise<EpochOnChain> {
  return (await chain.client.readContract({ address: chain.addresses.ledger, abi: contributionLedgerAbi, functionName: "getEpoch", args: [epoch] })) as EpochOnChain;
}

/**
 * Closes the next epoch if it is due: seals every pending credential into it, computes the rewards
 * by `EPOCH_RULES`, posts both roots with `ContributionLedger.postEpoch` and stores the trees. Safe to
 * call from several instances at once: a transaction-scoped advisory lock lets one in (the others
 * skip), the chain is read right before sending, and the credentials' epoch and the stored trees
 * commit only with a successful receipt (a failed post changes nothing).
 */
export async function closeEpoch(db: PrismaClient, chain: EpochChain, opts: { minSeconds?: number; log?: (s: string) => void } = {}): Promise<CloseResult> {
  const log = opts.log ?? (() => {});
  return db.$transaction(
    async (tx) => {
      const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${LOCK_CLASS}::int, ${chain.chainId}::int) AS locked`;
      if (!locked) return { status: "skipped", reason: "another instance is closing" } as const;
      const ledger = chain.addresses.ledger;
      const readLedger = <T>(functionName: string, args: readonly unknown[] = [], blockNumber?: bigint) =>
        chain.client.readContract({ address: ledger, abi: contributionLedgerAbi, functionName, args, blockNumber } as never) as Promise<T>;

      const last = await readLedger<bigint>("lastEpoch");
      const epoch = last + 1n;
      const challengeWindow = BigInt(await readLedger<bigint | number>("challengeWindow"));
      const head = await chain.client.getBlock();
      if (last > 0n) {
        const e = await readChainEpoch(chain, last);
        const status = STATUS[e.status];
        if (status === "disputed") return { status: "skipped", reason: `epoch ${last} is disputed`, epoch } as const;
        if (status === "posted" && head.timestamp < e.postedAt + challengeWindow) return { status: "skipped", reason: `epoch ${last} is in its challenge window`, epoch } as const;
      }
      if (await tx.epochClose.findUnique({ where: { chainId_epoch: { chainId: chain.chainId, epoch } } })) {
        return { status: "skipped", reason: `epoch ${epoch} is stored but not on the chain (was the chain reset?)`, epoch } as const;
      }

      const checkpoint = await tx.indexerCheckpoint.findUnique({ where: { chainId: chain.chainId } });
      if (!checkpoint) return { status: "skipped", reason: "the mirror has not indexed this chain yet", epoch } as const;
      const closeBlock = checkpoint.blockNumber;
      const windowEnd = Number((await chain.client.getBlock({ blockNumber: closeBlock })).timestamp);
      // Base: the last epoch that is not invalid; its cumulative leaves carry over.
      let baseEpoch = last;
      const invalid: bigint[] = [];
      while (baseEpoch > 0n && STATUS[(await readChainEpoch(chain, baseEpoch)).status] === "invalid") invalid.push(baseEpoch--);
      let previous: RewardLeaf[] = [];
      let baseLeaves: RewardLeaf[] | undefined;
      if (baseEpoch > 0n) {
        const stored = await tx.epochClose.findUnique({ where: { chainId_epoch: { chainId: chain.chainId, epoch: baseEpoch } } });
        if (stored) previous = (stored.rewardsTree as { values: { value: RewardLeaf }[] }).values.map((v) => v.value);
        else {
          // Posted elsewhere (the dev seed's genesis): what was claimed is the best knowledge of its leaves.
          const totals = await tx.claimTotal.findMany({ where: { chainId: chain.chainId }, orderBy: [{ account: "asc" }, { nodeId: "asc" }] });
          previous = baseLeaves = totals.map((t) => [t.account, t.nodeId.toString(), t.amount.toFixed(), t.workUnits.toFixed()]);
        }
      }

      // The window starts where the base epoch's ended: an invalidated epoch's time is covered again.
      const prevClose = baseEpoch > 0n ? await tx.epochClose.findUnique({ where: { chainId_epoch: { chainId: chain.chainId, epoch: baseEpoch } } }) : null;
      let windowStart: number;
      if (prevClose) windowStart = Math.floor(prevClose.windowEnd.getTime() / 1000);
      else if (baseEpoch > 0n) windowStart = Number((await readChainEpoch(chain, baseEpoch)).postedAt);
      else {
        const first = await tx.node.findFirst({ where: { chainId: chain.chainId }, orderBy: { registeredAt: "asc" } });
        windowStart = first ? Math.floor(first.registeredAt.getTime() / 1000) : windowEnd;
      }
      if (windowEnd - windowStart < (opts.minSeconds ?? 0)) return { status: "skipped", reason: "the epoch is not over yet", epoch } as const;

      // Credentials: every pending one whose node exists and belongs to its owner (others wait).
      // Credentials of an invalidated epoch were never payable: they are sealed again into this one.
      const pending = await tx.credential.findMany({ where: { chainId: chain.chainId, OR: [{ epoch: null }, { epoch: { in: invalid } }] }, orderBy: { id: "asc" } });
      const nodeIds = new Set<bigint>([...pending.map((c) => c.nodeId)]);
      const stakeRows = await tx.stakeChange.findMany({ where: { chainId: chain.chainId, blockNumber: { lte: closeBlock } }, orderBy: [{ blockNumber: "asc" }, { logIndex: "asc" }] });
      const points: StakePoint[] = stakeRows.map((r) => ({ nodeId: r.nodeId, at: Math.floor(r.timestamp.getTime() / 1000), stake: BigInt(r.stake.toFixed()) }));
      const seconds = stakeSeconds(points, windowStart, windowEnd);
      for (const n of seconds.keys()) nodeIds.add(n);
      const tiers = new Map<bigint, number>();
      const owners = new Map<bigint, string>();
      for (const n of nodeIds) {
        const node = (await chain.client.readContract({ address: chain.addresses.staking, abi: stakingAbi, functionName: "getNode", args: [n], blockNumber: closeBlock })) as { owner: Address; tier: number };
        if (/^0x0{40}$/i.test(node.owner)) continue;
        tiers.set(n, Number(node.tier));
        owners.set(n, node.owner.toLowerCase());
      }
      const sealed = pending.filter((c) => owners.get(c.nodeId) === c.owner);
      if (sealed.length < pending.length) log(`${pending.length - sealed.length} credential(s) name a node their owner does not own at block ${closeBlock}: left pending`);
      const creds: CredentialLeafInput[] = sealed.map((c) => ({
        id: c.id, epoch, nodeId: c.nodeId, owner: c.owner, jobId: c.jobId, fragmentId: c.fragmentId, resultHash: c.resultHash, workUnits: BigInt(c.workUnits.toFixed()), role: c.role as CredentialRole,
      }));

      const epochCap = await readLedger<bigint>("epochCap", [epoch]);
      const pool = (epochCap * BigInt(EPOCH_RULES.emissionBps)) / 10_000n;
      const result = computeRewards({ pool, credentials: creds, tiers, owners, stakeSeconds: seconds, previous });
      if (result.total === 0n && creds.length === 0) return { status: "skipped", reason: "nothing to reward in this epoch", epoch } as const;
      const cTree = credentialsTree(creds.map(credentialLeaf));
      const rTree = rewardsTree(result.leaves);
      const credentialsRoot = (cTree?.root ?? EMPTY_CREDENTIALS_ROOT) as Hex;

      const inputs: EpochInputs = {
        rules: EPOCH_RULES, epoch: epoch.toString(), epochCap: epochCap.toString(), pool: pool.toString(), windowStart, windowEnd, closeBlock: closeBlock.toString(),
        baseEpoch: baseEpoch.toString(), ...(baseLeaves ? { baseLeaves } : {}),
        tiers: Object.fromEntries([...tiers].map(([k, v]) => [k.toString(), v])),
        owners: Object.fromEntries([...owners].map(([k, v]) => [k.toString(), v])),
        stakeSeconds: Object.fromEntries([...seconds].map(([k, v]) => [k.toString(), v.toString()])),
        buckets: { compute: result.buckets.compute.toString(), staking: result.buckets.staking.toString(), verify: result.buckets.verify.toString() },
      };

      // The chain is the arbiter: check again right before sending (the contract also refuses any
      // epoch number but lastEpoch + 1, so a second post of the same epoch could never land).
      if ((await readLedger<bigint>("lastEpoch")) !== last) return { status: "skipped", reason: `epoch ${epoch} was posted meanwhile`, epoch } as const;
      const { hash } = await sendTx(chain, ledger, contributionLedgerAbi, "postEpoch", [epoch, credentialsRoot, rTree.root as Hex, result.total, result.workUnits, creds.length]);

      await tx.credential.updateMany({ where: { id: { in: sealed.map((c) => c.id) } }, data: { epoch } });
      await tx.epochClose.create({
        data: {
          chainId: chain.chainId, epoch, status: "posted", windowStart: new Date(windowStart * 1000), windowEnd: new Date(windowEnd * 1000), closeBlock,
          inputs: inputs as never, credentialsTree: cTree ? (cTree.dump() as never) : Prisma.DbNull, rewardsTree: rTree.dump() as never,
          credentialsRoot: credentialsRoot.toLowerCase(), rewardsRoot: rTree.root.toLowerCase(), total: result.total.toString(), workUnits: result.workUnits.toString(),
          credentialCount: creds.length, txHash: hash,
        },
      });
      log(`epoch ${epoch} posted: ${creds.length} credentials, ${result.leaves.length} reward leaves, total ${result.total} (tx ${hash})`);
      return { status: "posted", epoch, txHash: hash, total: result.total, credentialCount: creds.length, leaves: result.leaves.length } as const;
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}
