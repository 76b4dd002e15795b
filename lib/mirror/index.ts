import "server-only";
import { tierMultiplierSql } from "@/lib/chain";
import { prisma } from "@/lib/db";
import { replayTranches, type StakingEvent, type Tranche } from "./staking";

/**
 * Read models over the chain mirror. Pages and API routes answer from here — never by scanning
 * the chain per request.
 */
export async function listNodes(chainId: number, opts: { orderBy?: "id" | "rank"; take?: number } = {}) {
  return prisma.node.findMany({
    where: { chainId },
    orderBy:
      opts.orderBy === "rank"
        ? [{ active: "desc" }, { tier: "desc" }, { workUnits: "desc" }, { stake: "desc" }, { nodeId: "asc" }]
        : [{ nodeId: "asc" }],
    take: opts.take ?? 200,
  });
}

export async function listTasks(chainId: number, take = 100) {
  return prisma.task.findMany({ where: { chainId }, orderBy: { taskId: "desc" }, take });
}

export async function listEpochs(chainId: number, take = 100) {
  return prisma.epoch.findMany({ where: { chainId }, orderBy: { epoch: "desc" }, take });
}

/**
 * The chain's own clock: the timestamp of the newest indexed block. Finality of epochs and release of
 * unbonding stake are judged by block time, which on a dev chain (evm_increaseTime) can run far ahead
 * of the server's wall clock.
 */
export async function chainTime(chainId: number): Promise<Date | null> {
  const block = await prisma.indexedBlock.findFirst({ where: { chainId }, orderBy: { number: "desc" }, select: { timestamp: true } });
  return block?.timestamp ?? null;
}

export async function networkTotals(chainId: number) {
  const [nodes, stake, tasks, epochs, supply, events] = await Promise.all([
    prisma.node.count({ where: { chainId, active: true } }),
    prisma.node.aggregate({ where: { chainId }, _sum: { stake: true, unbonding: true, workUnits: true } }),
    prisma.task.groupBy({ by: ["status"], where: { chainId }, _count: { _all: true } }),
    prisma.epoch.count({ where: { chainId } }),
    prisma.tokenSupply.findFirst({ where: { chainId } }),
    prisma.chainEvent.count({ where: { chainId } }),
  ]);
  return {
    activeNodes: nodes,
    stake: stake._sum.stake?.toFixed() ?? "0",
    unbonding: stake._sum.unbonding?.toFixed() ?? "0",
    workUnits: stake._sum.workUnits?.toFixed() ?? "0",
    tasksByStatus: Object.fromEntries(tasks.map((t) => [t.status, t._count._all])) as Record<string, number>,
    epochs,
    totalSupply: supply?.totalSupply.toFixed() ?? "0",
    eventsIndexed: events,
  };
}

// ───────────────────────────── dapp pages: nodes, rankings, governance ─────────────────────────────

export { formatCountdown, nodeWeight, replayTranches, tierFor, tierProgress, tierTable, type TierProgress, type Tranche } from "./staking";

export async function getNode(chainId: number, nodeId: bigint) {
  return prisma.node.findUnique({ where: { chainId_nodeId: { chainId, nodeId } } });
}

/** A node's pending unbonding tranches, replayed from its mirrored Staking events (oldest first). */
export async function nodeTranches(chainId: number, nodeId: bigint): Promise<Tranche[]> {
  const events = await prisma.chainEvent.findMany({
    where: { chainId, contract: "Staking", eventName: { in: ["UnstakeRequested", "Withdrawn", "Slashed"] }, args: { path: ["nodeId"], equals: nodeId.toString() } },
    orderBy: [{ blockNumber: "asc" }, { logIndex: "asc" }],
    select: { eventName: true, timestamp: true, args: true },
  });
  return replayTranches(events as unknown as StakingEvent[]);
}

/** The latest stake movements of a node (stake, unstake, withdraw, slash), newest first. */
export async function nodeStakeHistory(chainId: number, nodeId: bigint, take = 20) {
  return prisma.stakeChange.findMany({ where: { chainId, nodeId }, orderBy: [{ blockNumber: "desc" }, { logIndex: "desc" }], take });
}

/** An owner's governance position: where its weight counts and how much is delegated to it. */
export async function governancePosition(chainId: number, account: string) {
  const a = account.toLowerCase();
  const [delegation, votes] = await Promise.all([
    prisma.governanceDelegation.findUnique({ where: { chainId_delegator: { chainId, delegator: a } } }),
    prisma.governanceVote.findUnique({ where: { chainId_delegate: { chainId, delegate: a } } }),
  ]);
  return { delegate: delegation?.delegate ?? a, votes: votes?.votes.toFixed() ?? "0" };
}

export const rankingSorts = ["rank", "work", "stake", "tier", "weight"] as const;
export type RankingSort = (typeof rankingSorts)[number];

/**
 * One page of the tier leaderboard. Weight (stake × tier multiplier) is not a column, so that sort is
 * done in SQL from the multiplier table rather than by loading every node.
 */
export async function rankingPage(chainId: number, opts: { sort: RankingSort; dir: "asc" | "desc"; page: number; pageSize: number }) {
  const { sort, dir, page, pageSize } = opts;
  const total = await prisma.node.count({ where: { chainId } });
  const skip = (page - 1) * pageSize;
  let ids: bigint[];
  if (sort === "weight") {
    const rows = await prisma.$queryRawUnsafe<{ node_id: bigint }[]>(
      `SELECT node_id FROM nodes WHERE chain_id = $1
       ORDER BY (CASE WHEN active THEN stake * ${tierMultiplierSql("tier")} ELSE 0 END) ${dir === "asc" ? "ASC" : "DESC"}, node_id ASC
       LIMIT $2 OFFSET $3`,
      chainId,
      pageSize,
      skip,
    );
    ids = rows.map((r) => BigInt(r.node_id));
  } else {
    const orderBy =
      sort === "rank"
        ? [{ active: "desc" as const }, { tier: "desc" as const }, { workUnits: "desc" as const }, { stake: "desc" as const }, { nodeId: "asc" as const }]
        : [{ [sort === "work" ? "workUnits" : sort]: dir }, { nodeId: "asc" as const }];
    ids = (await prisma.node.findMany({ where: { chainId }, orderBy, skip, take: pageSize, select: { nodeId: true } })).map((n) => n.nodeId);
  }
  const nodes = await prisma.node.findMany({ where: { chainId, nodeId: { in: ids } } });
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  return { total, page, pageSize, nodes: ids.map((id) => byId.get(id)!).filter(Boolean) };
}

export async function listProposals(chainId: number, take = 50) {
  return prisma.proposal.findMany({ where: { chainId }, orderBy: { createdBlock: "desc" }, take });
}

/** The newest indexed block number: the governor's clock (blocks) as the mirror knows it. */
export async function mirrorHead(chainId: number): Promise<bigint | null> {
  const block = await prisma.indexedBlock.findFirst({ where: { chainId }, orderBy: { number: "desc" }, select: { number: true } });
  return block?.number ?? null;
}
/** Chain time (seconds) of the latest mirrored block: the governor's clock is timestamps. */
export async function mirrorClock(chainId: number): Promise<bigint | null> {
  const block = await prisma.indexedBlock.findFirst({ where: { chainId }, orderBy: { number: "desc" }, select: { timestamp: true } });
  return block ? BigInt(Math.floor(block.timestamp.getTime() / 1000)) : null;
}
export { governorStates, parseActions, proposalPhase, type ProposalAction, type ProposalPhase } from "./governance";

/** Slashes of a node (its faults), newest first. */
export async function nodeSlashes(chainId: number, nodeId: bigint, take = 20) {
  return prisma.slash.findMany({ where: { chainId, nodeId }, orderBy: [{ blockNumber: "desc" }, { logIndex: "desc" }], take });
}
export { formatCxt, formatCxtWithUnit, formatFlops, shortHex, tierName, tierNames } from "./format";
