import "server-only";
import { contributionLedgerAbi } from "@/contracts-abi/contribution-ledger";
import { stakingAbi } from "@/contracts-abi/staking";
import type { PrismaClient } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { Address, Hex } from "viem";
import { sendTx, TxRevertedError } from "@/lib/chain/tx-sender";
import type { EpochChain } from "./chain";
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

/** How long a claimed ("closing") epoch belongs to the instance that claimed it before another may retry it. */
const CLOSING_LEASE_MS = 120_000;

type Phase1 =
  | { kind: "done"; result: CloseResult }
  | { kind: "send"; epoch: bigint; last: bigint; args: readonly [bigint, Hex, Hex, bigint, bigint, number]; ids: string[]; summary: { total: bigint; credentialCount: number; leaves: number } };

/**
 * Closes the next epoch if it is due: seals every pending credential into it, computes the rewards
 * by `EPOCH_RULES`, posts both roots with `ContributionLedger.postEpoch` and stores the trees.
 * Exactly once across instances and crashes, in three steps:
 * 1. under a transaction-scoped advisory lock (other instances skip), build everything and commit a
 *    claimed `epoch_closes` row (status "closing", with both trees); a fresh claim makes others skip;
 * 2. read the chain's lastEpoch again and send postEpoch (the ledger refuses any epoch number but
 *    lastEpoch + 1, so a second post could never land); a send refused or reverted removes the claim,
 *    one that went out and lost its receipt keeps it;
 * 3. mark the row posted and seal its credentials. A crash between 2 and 3 is repaired by the next
 *    call: a "closing" row whose roots the chain holds is completed, a stale one not on the chain is dropped.
 */
export async function closeEpoch(db: PrismaClient, chain: EpochChain, opts: { minSeconds?: number; log?: (s: string) => void } = {}): Promise<CloseResult> {
  const log = opts.log ?? (() => {});
  const ledger = chain.addresses.ledger;
  const lastOnChain = () => chain.client.readContract({ address: ledger, abi: contributionLedgerAbi, functionName: "lastEpoch" }) as Promise<bigint>;
  const p1: Phase1 = await db.$transaction(
    async (tx): Promise<Phase1> => {
      const done = (result: CloseResult): Phase1 => ({ kind: "done", result });
      const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${LOCK_CLASS}::int, ${chain.chainId}::int) AS locked`;
      if (!locked) return done({ status: "skipped", reason: "another instance is closing" });
      const readLedger = <T>(functionName: string, args: readonly unknown[] = [], blockNumber?: bigint) =>
        chain.client.readContract({ address: ledger, abi: contributionLedgerAbi, functionName, args, blockNumber } as never) as Promise<T>;

      const last = await readLedger<bigint>("lastEpoch");
      const epoch = last + 1n;

      // A claim left by an earlier attempt: complete it when the chain holds its roots, else keep away
      // from a fresh one, or drop a stale one (its post never landed).
      const claimed = await tx.epochClose.findFirst({ where: { chainId: chain.chainId, status: "closing" }, orderBy: { epoch: "desc" } });
      if (claimed) {
        if (claimed.epoch <= last) {
          const e = await readLedger<{ credentialsRoot: Hex; rewardsRoot: Hex }>("getEpoch", [claimed.epoch]);
          if (e.credentialsRoot.toLowerCase() !== claimed.credentialsRoot || e.rewardsRoot.toLowerCase() !== claimed.rewardsRoot) {
            throw new Error(`epoch ${claimed.epoch} on the chain does not hold the roots this coordinator claimed: investigate before closing more`);
          }
          const ids = ((claimed.credentialsTree as { values: { value: string[] }[] } | null)?.values ?? []).map((v) => v.value[0]!);
          await tx.credential.updateMany({ where: { id: { in: ids } }, data: { epoch: claimed.epoch } });
          await tx.epochClose.update({ where: { chainId_epoch: { chainId: chain.chainId, epoch: claimed.epoch } }, data: { status: "posted" } });
          log(`epoch ${claimed.epoch}: completed an interrupted close (the chain holds its roots)`);
          return done({ status: "skipped", reason: `completed the interrupted close of epoch ${claimed.epoch}`, epoch: claimed.epoch });
        }
        if (Date.now() - claimed.createdAt.getTime() < CLOSING_LEASE_MS) return done({ status: "skipped", reason: `epoch ${claimed.epoch} is being posted by another instance`, epoch: claimed.epoch });
        await tx.epochClose.delete({ where: { chainId_epoch: { chainId: chain.chainId, epoch: claimed.epoch } } });
        log(`epoch ${claimed.epoch}: dropped a stale claim whose post never landed`);
      }
      const challengeWindow = BigInt(await readLedger<bigint | number>("challengeWindow"));
      const head = await chain.client.getBlock();
      if (last > 0n) {
        const e = await readChainEpoch(chain, last);
        const status = STATUS[e.status];
        if (status === "disputed") return done({ status: "skipped", reason: `epoch ${last} is disputed`, epoch });
        if (status === "posted" && head.timestamp < e.postedAt + challengeWindow) return done({ status: "skipped", reason: `epoch ${last} is in its challenge window`, epoch });
      }
      if (await tx.epochClose.findUnique({ where: { chainId_epoch: { chainId: chain.chainId, epoch } } })) {
        return done({ status: "skipped", reason: `epoch ${epoch} is stored but not on the chain (was the chain reset?)`, epoch });
      }

      const checkpoint = await tx.indexerCheckpoint.findUnique({ where: { chainId: chain.chainId } });
      if (!checkpoint) return done({ status: "skipped", reason: "the mirror has not indexed this chain yet", epoch });
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
      if (windowEnd - windowStart < (opts.minSeconds ?? 0)) return done({ status: "skipped", reason: "the epoch is not over yet", epoch });

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
      try {
        for (const n of nodeIds) {
          const node = (await chain.client.readContract({ address: chain.addresses.staking, abi: stakingAbi, functionName: "getNode", args: [n], blockNumber: closeBlock })) as { owner: Address; tier: number };
          if (/^0x0{40}$/i.test(node.owner)) continue;
          tiers.set(n, Number(node.tier));
          owners.set(n, node.owner.toLowerCase());
        }
      } catch (e) {
        // A pruned node (the dev anvil) keeps no state behind its head: wait until the mirror reaches it.
        return done({ status: "skipped", reason: `no chain state at the close block ${closeBlock} (${(e as Error).message.split("\n")[0]}): retrying when the mirror is at the head`, epoch });
      }
      const sealed = pending.filter((c) => owners.get(c.nodeId) === c.owner);
      if (sealed.length < pending.length) log(`${pending.length - sealed.length} credential(s) name a node their owner does not own at block ${closeBlock}: left pending`);
      const creds: CredentialLeafInput[] = sealed.map((c) => ({
        id: c.id, epoch, nodeId: c.nodeId, owner: c.owner, jobId: c.jobId, fragmentId: c.fragmentId, resultHash: c.resultHash, workUnits: BigInt(c.workUnits.toFixed()), role: c.role as CredentialRole,
      }));

      const epochCap = await readLedger<bigint>("epochCap", [epoch]);
      const pool = (epochCap * BigInt(EPOCH_RULES.emissionBps)) / 10_000n;
      const result = computeRewards({ pool, credentials: creds, tiers, owners, stakeSeconds: seconds, previous });
      if (result.total === 0n && creds.length === 0) return done({ status: "skipped", reason: "nothing to reward in this epoch", epoch });
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

      await tx.epochClose.create({
        data: {
          chainId: chain.chainId, epoch, status: "closing", windowStart: new Date(windowStart * 1000), windowEnd: new Date(windowEnd * 1000), closeBlock,
          inputs: inputs as never, credentialsTree: cTree ? (cTree.dump() as never) : Prisma.DbNull, rewardsTree: rTree.dump() as never,
          credentialsRoot: credentialsRoot.toLowerCase(), rewardsRoot: rTree.root.toLowerCase(), total: result.total.toString(), workUnits: result.workUnits.toString(),
          credentialCount: creds.length,
        },
      });
      return {
        kind: "send", epoch, last, ids: sealed.map((c) => c.id),
        args: [epoch, credentialsRoot, rTree.root as Hex, result.total, result.workUnits, creds.length] as const,
        summary: { total: result.total, credentialCount: creds.length, leaves: result.leaves.length },
      };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
  if (p1.kind === "done") return p1.result;

  const { epoch, last } = p1;
  const unclaim = () => db.epochClose.deleteMany({ where: { chainId: chain.chainId, epoch, status: "closing" } });
  let hash: Hex;
  let sent = false;
  try {
    if ((await lastOnChain()) !== last) {
      await unclaim();
      return { status: "skipped", reason: `epoch ${epoch} was posted meanwhile`, epoch };
    }
    ({ hash } = await sendTx(chain, { address: ledger, abi: contributionLedgerAbi, functionName: "postEpoch", args: p1.args }, { onSent: () => { sent = true; } }));
  } catch (e) {
    // A post that went out may still land after this read (its receipt was lost, not refused): then
    // the claim must stay, so the next call completes it when the chain holds its roots, or drops it
    // once stale. Dropping it here let a late post leave its credentials unsealed, to be counted again.
    const mayLand = sent && !(e instanceof TxRevertedError);
    if (!mayLand && (await lastOnChain().catch(() => last)) === last) await unclaim(); // not on the chain: retry later from scratch
    throw e;
  }
  await db.$transaction([
    db.credential.updateMany({ where: { id: { in: p1.ids } }, data: { epoch } }),
    db.epochClose.update({ where: { chainId_epoch: { chainId: chain.chainId, epoch } }, data: { status: "posted", txHash: hash } }),
  ]);
  log(`epoch ${epoch} posted: ${p1.summary.credentialCount} credentials, ${p1.summary.leaves} reward leaves, total ${p1.summary.total} (tx ${hash})`);
  return { status: "posted", epoch, txHash: hash, ...p1.summary };
}
