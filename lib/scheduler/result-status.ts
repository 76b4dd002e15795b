import "server-only";
import type { PrismaClient } from "@/lib/db";
import type { ResultStatusList } from "@/lib/protocol";

/**
 * Where submitted results stand now: a receipt says `pending` until verification (a second owner's
 * replica or the reference) settles it, so a worker that counts only its receipts under-counts what
 * the network accepted. Unknown ids are left out; `valid` (agreed, fragment not yet settled) is pending.
 */
export async function resultStatuses(db: PrismaClient, ids: string[]): Promise<ResultStatusList> {
  const rows = await db.fragmentResult.findMany({ where: { id: { in: [...new Set(ids.map((i) => i.toLowerCase()))] } }, select: { id: true, status: true } });
  return { results: rows.map((r) => ({ resultId: r.id, status: r.status === "accepted" ? "accepted" : r.status === "rejected" ? "rejected" : "pending" })) };
}
