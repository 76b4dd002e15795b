// Compares the indexer's mirror with direct reads of the chain, field by field, and snapshots the
// mirror's tables for run-vs-run equality (rebuild, crash/restart, reorgs).
import type { Abi, Address, Hex } from "viem";
import { contributionLedgerAbi } from "@/contracts-abi/contribution-ledger";
import { corexGovernorAbi } from "@/contracts-abi/corex-governor";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { stakingAbi } from "@/contracts-abi/staking";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import type { PrismaClient } from "@/lib/db/prisma-client";
import type { ChainCtx } from "./chain-workload";

const KINDS = ["gpu", "cpu", "edge", "browser"];
const TASK_STATUS = ["none", "open", "completed", "cancelled"];
const EPOCH_STATUS = ["none", "posted", "disputed", "confirmed", "invalid"];
const ZERO32 = `0x${"0".repeat(64)}`;
const ZERO_ADDRESS = `0x${"0".repeat(40)}`;
const total = (xs: bigint[]) => xs.reduce((s, x) => s + x, 0n);
const secs = (d: Date | null) => (d ? BigInt(Math.round(d.getTime() / 1000)) : 0n);

/** The contract's latestFinalEpoch() computed from the mirror's epochs and the chain time. */
function latestFinal(epochs: { epoch: bigint; status: string; disputeDeadline: Date }[], now: bigint): bigint {
  for (let i = epochs.length - 1; i >= 0; i--) {
    const e = epochs[i];
    if (e.status === "confirmed" || (e.status === "posted" && secs(e.disputeDeadline) <= now)) return e.epoch;
  }
  return 0n;
}

/** Every difference between the mirror and the chain at the chain's current head (empty = equal). */
export async function mirrorDiffs(prisma: PrismaClient, ctx: ChainCtx): Promise<string[]> {
  const diffs: string[] = [];
  const eq = (what: string, mirror: unknown, chain: unknown) => {
    if (String(mirror) !== String(chain)) diffs.push(`${what}: mirror ${String(mirror)} ≠ chain ${String(chain)}`);
  };
  const { read, addr } = ctx;
  const chainId = ctx.chainId;
  const token = addr.token.toLowerCase();

  // balances: every account the mirror knows plus every actor and contract
  const balances = await prisma.tokenBalance.findMany({ where: { chainId, token } });
  const accounts = new Set<string>([...balances.map((b) => b.account), ...ctx.accounts.map((a) => a.toLowerCase()), ...Object.values(addr).map((a) => a.toLowerCase())]);
  const byAccount = new Map(balances.map((b) => [b.account, b.balance.toFixed()]));
  for (const a of accounts) eq(`balance ${a}`, byAccount.get(a) ?? "0", await read<bigint>(addr.token, cxtTokenAbi as Abi, "balanceOf", [a as Address]));
  const supply = await prisma.tokenSupply.findUnique({ where: { chainId_token: { chainId, token } } });
  eq("totalSupply", supply?.totalSupply.toFixed() ?? "0", await read<bigint>(addr.token, cxtTokenAbi as Abi, "totalSupply"));
  eq("minted = ledger.totalMinted", supply?.minted.toFixed() ?? "0", await read<bigint>(addr.ledger, contributionLedgerAbi as Abi, "totalMinted"));

  // nodes, stakes, tiers
  const nodeCount = Number(await read<bigint>(addr.staking, stakingAbi as Abi, "nodeCount"));
  const nodes = await prisma.node.findMany({ where: { chainId }, orderBy: { nodeId: "asc" } });
  eq("node count", nodes.length, nodeCount);
  for (const n of nodes) {
    const c = await read<{
      owner: Address; kind: number; active: boolean; tier: number; registeredAt: number; stake: bigint; unbonding: bigint;
      locked: boolean; slashCount: number; workUnits: bigint; metadataURI: string;
    }>(addr.staking, stakingAbi as Abi, "getNode", [n.nodeId]);
    const tranches = await read<{ amount: bigint; releaseAt: bigint }[]>(addr.staking, stakingAbi as Abi, "tranchesOf", [n.nodeId]);
    const p = `node ${n.nodeId}`;
    eq(`${p} owner`, n.owner, c.owner.toLowerCase());
    eq(`${p} kind`, n.kind, KINDS[c.kind]);
    eq(`${p} active`, n.active, c.active);
    eq(`${p} tier`, n.tier, c.tier);
    eq(`${p} tierOf`, n.tier, await read<number>(addr.staking, stakingAbi as Abi, "tierOf", [n.nodeId]));
    eq(`${p} registeredAt`, secs(n.registeredAt), c.registeredAt);
    eq(`${p} stake`, n.stake.toFixed(), c.stake);
    eq(`${p} stakeOf`, n.stake.toFixed(), await read<bigint>(addr.staking, stakingAbi as Abi, "stakeOf", [n.nodeId]));
    eq(`${p} unbonding`, n.unbonding.toFixed(), c.unbonding);
    eq(`${p} unbondingReleaseAt = latest tranche`, secs(n.unbondingReleaseAt), tranches.length ? tranches[tranches.length - 1].releaseAt : 0n);
    eq(`${p} nextReleaseAt = first pending tranche`, secs(n.nextReleaseAt), tranches.length ? tranches[0].releaseAt : 0n);
    eq(`${p} locked`, n.locked, c.locked);
    eq(`${p} slashCount`, n.slashCount, c.slashCount);
    eq(`${p} workUnits`, n.workUnits.toFixed(), c.workUnits);
    eq(`${p} metadataURI`, n.metadataUri, c.metadataURI);
  }
  const sum = (xs: { toFixed(): string }[]) => xs.reduce((s, x) => s + BigInt(x.toFixed()), 0n);
  eq("totalStaked", sum(nodes.map((n) => n.stake)), await read<bigint>(addr.staking, stakingAbi as Abi, "totalStaked"));
  eq("totalUnbonding", sum(nodes.map((n) => n.unbonding)), await read<bigint>(addr.staking, stakingAbi as Abi, "totalUnbonding"));

  // tasks
  const taskCount = Number(await read<bigint>(addr.tasks, taskManagerAbi as Abi, "taskCount"));
  const tasks = await prisma.task.findMany({ where: { chainId }, orderBy: { taskId: "asc" } });
  eq("task count", tasks.length, taskCount);
  for (const t of tasks) {
    const c = await read<{
      creator: Address; fragmentCount: number; minTier: number; status: number; createdAt: bigint; fee: bigint; paid: bigint; specHash: Hex; resultHash: Hex; cancelRequestedAt: bigint;
      closedAt: bigint; refunded: bigint; provider: Address; providerFeeBps: number;
    }>(
      addr.tasks, taskManagerAbi as Abi, "getTask", [t.taskId],
    );
    const p = `task ${t.taskId}`;
    eq(`${p} creator`, t.creator, c.creator.toLowerCase());
    eq(`${p} fragmentCount`, t.fragmentCount, c.fragmentCount);
    eq(`${p} minTier`, t.minTier, c.minTier);
    eq(`${p} status`, t.status, TASK_STATUS[c.status]);
    eq(`${p} createdAt`, secs(t.createdAt), c.createdAt);
    eq(`${p} fee`, t.fee.toFixed(), c.fee);
    eq(`${p} paid`, t.paid.toFixed(), c.paid);
    eq(`${p} specHash`, t.specHash, c.specHash.toLowerCase());
    eq(`${p} resultHash`, t.resultHash ?? ZERO32, c.resultHash.toLowerCase());
    eq(`${p} cancelReclaimableAt`, secs(t.cancelReclaimableAt), c.cancelRequestedAt === 0n ? 0n : c.cancelRequestedAt + BigInt(ctx.deployment.config.cancelGraceSeconds));
    eq(`${p} refunded`, t.refunded.toFixed(), c.refunded);
    eq(`${p} closedAt`, secs(t.closedAt), c.closedAt);
    eq(`${p} provider`, t.provider ?? ZERO_ADDRESS, c.provider.toLowerCase());
    eq(`${p} providerFeeBps`, t.providerFeeBps, Number(c.providerFeeBps));
    // Every fee claim of the task mirrored, each as much as the chain paid that account.
    const payouts = await prisma.taskPayout.findMany({ where: { chainId, taskId: t.taskId } });
    eq(`${p} Σ fee claims`, total(payouts.filter((x) => x.kind === "fee").map((x) => BigInt(x.amount.toFixed()))), c.paid);
    eq(`${p} Σ refund claims`, total(payouts.filter((x) => x.kind === "refund").map((x) => BigInt(x.amount.toFixed()))), c.refunded);
    for (const a of new Set(payouts.filter((x) => x.kind === "fee").map((x) => x.recipient))) {
      eq(`${p} fee paid to ${a}`, total(payouts.filter((x) => x.kind === "fee" && x.recipient === a).map((x) => BigInt(x.amount.toFixed()))), await read<bigint>(addr.tasks, taskManagerAbi as Abi, "feePaidTo", [t.taskId, a]));
    }
  }

  // epochs and claims
  const lastEpoch = Number(await read<bigint>(addr.ledger, contributionLedgerAbi as Abi, "lastEpoch"));
  const epochs = await prisma.epoch.findMany({ where: { chainId }, orderBy: { epoch: "asc" } });
  eq("epoch count", epochs.length, lastEpoch);
  for (const e of epochs) {
    const c = await read<{ credentialsRoot: Hex; rewardsRoot: Hex; total: bigint; allowanceThrough: bigint; postedAt: bigint; status: number; credentialCount: number; workUnits: bigint }>(
      addr.ledger, contributionLedgerAbi as Abi, "getEpoch", [e.epoch],
    );
    const p = `epoch ${e.epoch}`;
    eq(`${p} credentialsRoot`, e.credentialsRoot, c.credentialsRoot.toLowerCase());
    eq(`${p} rewardsRoot`, e.rewardsRoot, c.rewardsRoot.toLowerCase());
    eq(`${p} total`, e.total.toFixed(), c.total);
    eq(`${p} allowanceThrough`, e.allowanceThrough.toFixed(), c.allowanceThrough);
    eq(`${p} postedAt`, secs(e.postedAt), c.postedAt);
    eq(`${p} status`, e.status, EPOCH_STATUS[c.status]);
    eq(`${p} credentialCount`, e.credentialCount, c.credentialCount);
    eq(`${p} workUnits`, e.workUnits.toFixed(), c.workUnits);
  }
  const totals = await prisma.claimTotal.findMany({ where: { chainId } });
  for (const t of totals) {
    const c = await read<{ amount: bigint; workUnits: bigint }>(addr.ledger, contributionLedgerAbi as Abi, "claimedOf", [t.account as Address, t.nodeId]);
    eq(`claimedOf ${t.account}/${t.nodeId} amount`, t.amount.toFixed(), c.amount);
    eq(`claimedOf ${t.account}/${t.nodeId} workUnits`, t.workUnits.toFixed(), c.workUnits);
  }
  eq("claims sum = minted", sum(totals.map((t) => t.amount)), supply?.minted.toFixed() ?? "0");
  eq("latestFinalEpoch", latestFinal(epochs, await ctx.client.getBlock().then((b) => b.timestamp)), await read<bigint>(addr.ledger, contributionLedgerAbi as Abi, "latestFinalEpoch"));

  // governance: weight per delegate and delegations (an account without a row counts for itself)
  const votes = await prisma.governanceVote.findMany({ where: { chainId } });
  const votesOf = new Map(votes.map((v) => [v.delegate, v.votes.toFixed()]));
  const delegations = new Map((await prisma.governanceDelegation.findMany({ where: { chainId } })).map((d) => [d.delegator, d.delegate]));
  const people = new Set([...votes.map((v) => v.delegate), ...ctx.accounts.map((a) => a.toLowerCase())]);
  for (const a of people) {
    eq(`votes ${a}`, votesOf.get(a) ?? "0", await read<bigint>(addr.staking, stakingAbi as Abi, "getVotes", [a as Address]));
    eq(`delegate of ${a}`, delegations.get(a) ?? a, (await read<Address>(addr.staking, stakingAbi as Abi, "delegates", [a as Address])).toLowerCase());
  }
  const proposals = await prisma.proposal.findMany({ where: { chainId } });
  for (const pr of proposals) {
    const id = BigInt(pr.proposalId.toFixed());
    const [against, forVotes, abstain] = await read<[bigint, bigint, bigint]>(addr.governor, corexGovernorAbi as Abi, "proposalVotes", [id]);
    const p = `proposal ${id}`;
    eq(`${p} for`, pr.forVotes.toFixed(), forVotes);
    eq(`${p} against`, pr.againstVotes.toFixed(), against);
    eq(`${p} abstain`, pr.abstainVotes.toFixed(), abstain);
    eq(`${p} proposer`, pr.proposer, (await read<Address>(addr.governor, corexGovernorAbi as Abi, "proposalProposer", [id])).toLowerCase());
    eq(`${p} voteStart`, pr.voteStart, await read<bigint>(addr.governor, corexGovernorAbi as Abi, "proposalSnapshot", [id]));
    eq(`${p} voteEnd`, pr.voteEnd, await read<bigint>(addr.governor, corexGovernorAbi as Abi, "proposalDeadline", [id]));
    eq(`${p} eta`, secs(pr.eta), await read<bigint>(addr.governor, corexGovernorAbi as Abi, "proposalEta", [id]));
    const state = await read<number>(addr.governor, corexGovernorAbi as Abi, "state", [id]);
    const terminal: Record<number, string> = { 2: "canceled", 5: "queued", 7: "executed" };
    eq(`${p} status`, pr.status, terminal[state] ?? "created");
  }
  return diffs;
}

const SNAPSHOT_TABLES: [string, string][] = [
  ["chain_events", "block_number, log_index"],
  ["token_balances", "token, account"],
  ["token_supplies", "token"],
  ["nodes", "node_id"],
  ["stake_changes", "block_number, log_index"],
  ["tier_changes", "block_number, log_index"],
  ["slashes", "block_number, log_index"],
  ["tasks", "task_id"],
  ["task_payouts", "block_number, log_index"],
  ["epochs", "epoch"],
  ["claims", "block_number, log_index"],
  ["claim_totals", "account, node_id"],
  ["governance_votes", "delegate"],
  ["governance_delegations", "delegator"],
  ["proposals", "proposal_id"],
  ["proposal_votes", "block_number, log_index"],
];

/** All mirror rows of a chain as JSON text (surrogate ids left out), for run-vs-run equality. */
export async function snapshotMirror(prisma: PrismaClient, chainId: number): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [t, order] of SNAPSHOT_TABLES) {
    const rows = await prisma.$queryRawUnsafe<{ j: string }[]>(
      `SELECT (to_jsonb(x) - 'id')::text AS j FROM "${t}" x WHERE chain_id = $1 ORDER BY ${order}`,
      chainId,
    );
    out[t] = rows.map((r) => r.j);
  }
  const cp = await prisma.$queryRawUnsafe<{ j: string }[]>(
    `SELECT json_build_object('block', block_number, 'hash', block_hash, 'events', events_indexed)::text AS j FROM indexer_checkpoints WHERE chain_id = $1`,
    chainId,
  );
  out.checkpoint = cp.map((r) => r.j);
  return out;
}
