import "server-only";
import type { PrismaClient } from "@/lib/db";

/**
 * An accepted compute or verify result: what the epochs engineer turns into contribution credentials.
 * A compute result of an inference job is kind `inference` (its credential's role).
 */
export type Contribution = {
  kind: "compute" | "verify" | "inference";
  nodeId: bigint;
  owner: string;
  jobId: string;
  fragmentId: string;
  resultHash: string;
  workUnits: bigint;
  acceptedAt: Date;
};

/** Accepted results with acceptedAt (their verification time) in [since, until). */
export async function listContributions(db: PrismaClient, range: { since: Date; until: Date }): Promise<Contribution[]> {
  const rows = await db.fragmentResult.findMany({
    where: { status: "accepted", verifiedAt: { gte: range.since, lt: range.until } },
    orderBy: [{ verifiedAt: "asc" }, { id: "asc" }],
  });
  const jobIds = [...new Set(rows.filter((r) => r.kind === "compute").map((r) => r.jobId))];
  const inference = new Set(
    jobIds.length === 0 ? [] : (await db.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM jobs WHERE id = ANY (${jobIds}::uuid[]) AND spec->>'kind' = 'inference'`).map((j) => j.id),
  );
  return rows.map((r) => ({
    kind: r.kind === "compute" && inference.has(r.jobId) ? "inference" : (r.kind as "compute" | "verify"),
    nodeId: r.nodeId,
    owner: r.owner,
    jobId: r.jobId,
    fragmentId: r.fragmentId,
    // Blobs are named by bare hex; credentials (and the EIP-712 result) carry the 0x-prefixed bytes32.
    resultHash: `0x${r.deltaSha256}` as `0x${string}`,
    workUnits: BigInt(r.workUnits.toFixed()),
    acceptedAt: r.verifiedAt!,
  }));
}

/** Faults with their evidence, oldest first (optionally of one node). */
export async function listFaults(db: PrismaClient, filter: { chainId?: number; nodeId?: bigint; since?: Date } = {}) {
  return db.fault.findMany({
    where: { chainId: filter.chainId, nodeId: filter.nodeId, createdAt: filter.since ? { gte: filter.since } : undefined },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

/** Replica work ÷ useful work of a job: submitted results' work units over accepted fragments' work units. */
export async function redundancyOverhead(db: PrismaClient, jobId: string): Promise<{ replicaWork: string; usefulWork: string; overhead: number | null }> {
  const [r] = await db.$queryRaw<{ replica: string | null; useful: string | null }[]>`
    SELECT (SELECT sum(work_units) FROM fragment_results WHERE job_id = ${jobId}::uuid)::text AS replica,
           (SELECT sum(work_units) FROM fragments WHERE job_id = ${jobId}::uuid AND status = 'accepted')::text AS useful`;
  const replica = BigInt(r?.replica ?? "0");
  const useful = BigInt(r?.useful ?? "0");
  return { replicaWork: replica.toString(), usefulWork: useful.toString(), overhead: useful === 0n ? null : Number(replica) / Number(useful) };
}
