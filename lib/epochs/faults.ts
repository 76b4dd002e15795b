import "server-only";
// GET /api/faults: the faults the verification pass recorded (lib/scheduler verify.ts), with the slash the
// epoch process sent for each, so an operator finds a node's faults without scraping its page.
import type { z } from "zod";
import { ApiError } from "@/lib/api";
import type { Prisma, PrismaClient } from "@/lib/db";
import type { faultListQuerySchema } from "./schemas";

type Cursor = { createdAt: Date; id: string };

// Opaque to clients: base64url of "<created at ISO>|<fault id>", the last row of the previous page.
const encodeCursor = (c: Cursor) => Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString("base64url");

function decodeCursor(cursor: string): Cursor {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(at ?? "");
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(createdAt.getTime())) {
    throw new ApiError(400, "validation_failed", "query.cursor: must be a nextCursor of an earlier page", [{ path: "cursor", message: "not a cursor of this list" }]);
  }
  return { createdAt, id };
}

const relativeL2 = (evidence: unknown): number | null => {
  const v = (evidence as { relativeL2ToReference?: unknown } | null)?.relativeL2ToReference;
  return typeof v === "number" && Number.isFinite(v) ? v : null;
};

/** Faults of this chain, newest first (created_at, then id), filtered by node and/or job; `limit` per page. */
export async function listFaults(db: PrismaClient, chainId: number, q: z.output<typeof faultListQuerySchema>) {
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  const where: Prisma.FaultWhereInput = {
    chainId,
    ...(q.node ? { nodeId: BigInt(q.node) } : {}),
    ...(q.job ? { jobId: q.job } : {}),
    ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
  };
  const rows = await db.fault.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const slashes = new Map((await db.faultSlash.findMany({ where: { faultId: { in: page.map((r) => r.id) } } })).map((s) => [s.faultId, s]));
  const faults = page.map((r) => {
    const s = slashes.get(r.id);
    return {
      id: r.id, nodeId: r.nodeId.toString(), owner: r.owner, jobId: r.jobId, fragmentId: r.fragmentId, resultId: r.resultId, reason: r.reason,
      relativeL2ToReference: relativeL2(r.evidence), createdAt: r.createdAt.toISOString(),
      slash: s ? { status: s.status as "pending" | "sent" | "failed", bps: s.bps, evidenceHash: s.evidenceHash, txHash: s.txHash } : null,
    };
  });
  const last = page[page.length - 1];
  return { faults, nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null };
}
