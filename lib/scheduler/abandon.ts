import "server-only";
// (worker branch, issue 10) A worker that stops — Pause/close on /worker, Ctrl-C in the CLI — gives its
// lease back at once instead of leaving the slot idle until the deadline.
import { authorizeWorker } from "@/lib/auth";
import type { SchedulerCtx } from "./context";
import { leaseError } from "./claim";

/** POST /api/fragments/{slotId}/abandon: a live lease held by `nodeId` goes back to open. */
export async function abandonLease(ctx: SchedulerCtx, request: Request, slotId: string, body: { nodeId: string }): Promise<{ slotId: string; state: "open" }> {
  const nodeId = BigInt(body.nodeId);
  await authorizeWorker(ctx.db, ctx.chainId, request, nodeId);
  const rows = await ctx.db.$queryRaw<{ id: string }[]>`
    UPDATE replica_slots SET state = 'open', node_id = NULL, owner = NULL, lease_deadline = NULL
    WHERE id = ${slotId}::uuid AND state = 'leased' AND node_id = ${nodeId} AND lease_deadline >= now()
    RETURNING id`;
  if (rows[0]) return { slotId, state: "open" };
  throw await leaseError(ctx.db, slotId, nodeId);
}
