import "server-only";
import { prisma } from "@/lib/db";

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
