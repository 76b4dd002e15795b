import "server-only";
// Verification of the fragments API's worker authority: the x-corex-worker WorkerAuth header (its format
// and EIP-712 type are lib/protocol's) or the owner's SIWE session, checked against the mirror's nodes
// and delegated session keys. Used by lib/scheduler (claim, heartbeat, result) and lib/compute-poc.
import { recoverTypedDataAddress } from "viem";
import { ApiError, unauthorized } from "@/lib/api";
import { Prisma, type PrismaClient } from "@/lib/db";
import { parseWorkerAuthHeader, resultDomain, WORKER_AUTH_HEADER, WORKER_AUTH_MAX_SECONDS, workerAuthTypes } from "@/lib/protocol";
import { workerAuthInWindow } from "./rules";
import { findSession, sessionToken } from "./session";

export const notEligible = (message: string) => new ApiError(403, "node_not_eligible", message);

/** What the mirror says about a caller and a node, read in one round trip. */
export type NodeAuthority = { as: "owner" | "session-key" | null; active: boolean; faults: number };

/**
 * SQL, true when `signer` may act for the node row `n`: its owner, or (unless `ownerOnly`) the holder of
 * an unexpired (expires_at > now), unrevoked session key delegated for this node by its current owner.
 * The one rule: mayActForNode, nodeAuthority and the heartbeat's statement all use this predicate.
 */
function mayActSql(signer: string, now: Date, ownerOnly = false): Prisma.Sql {
  const s = signer.toLowerCase();
  if (ownerOnly) return Prisma.sql`(lower(n.owner) = ${s})`;
  return Prisma.sql`(lower(n.owner) = ${s} OR EXISTS (SELECT 1 FROM session_keys k WHERE k.key_address = ${s} AND k.revoked_at IS NULL
    AND k.expires_at > ${now} AND k.chain_id = n.chain_id AND k.node_id = n.node_id AND lower(k.owner) = lower(n.owner)))`;
}

/**
 * May `signer` act for `nodeId`, and may the node work? One statement: whether `signer` is the owner or
 * holds a live delegated session key, `active`, and the node's fault count. null: no such node.
 */
export async function nodeAuthority(db: PrismaClient, chainId: number, signer: string, nodeId: bigint, now = new Date()): Promise<NodeAuthority | null> {
  const rows = await db.$queryRaw<{ is_owner: boolean; may_act: boolean; active: boolean; faults: number }[]>`
    SELECT lower(n.owner) = ${signer.toLowerCase()} AS is_owner, ${mayActSql(signer, now)} AS may_act, n.active,
      (SELECT count(*)::int FROM faults f WHERE f.chain_id = n.chain_id AND f.node_id = n.node_id) AS faults
    FROM nodes n WHERE n.chain_id = ${chainId} AND n.node_id = ${nodeId}`;
  const r = rows[0];
  if (!r) return null;
  return { as: r.is_owner ? "owner" : r.may_act ? "session-key" : null, active: r.active, faults: Number(r.faults) };
}

// WorkerAuth headers are reused for up to WORKER_AUTH_MAX_SECONDS (the CLI and browser workers sign one
// per ~9 min), so each would otherwise cost an ECDSA public-key recovery (~1–2 ms of CPU) on every
// claim and heartbeat. Recovery is a pure function of (chain, node, header), so its answer is memoised;
// who may act for the node is still read from the mirror on every request (revocations apply at once),
// and the header's expiry is still checked against the clock on every request.
const RECOVERED_MAX = 50_000;
const recovered = new Map<string, `0x${string}` | null>();

async function recoverWorkerAuth(chainId: number, nodeId: bigint, expiresAt: number, signature: `0x${string}`): Promise<`0x${string}` | null> {
  const key = `${chainId}:${nodeId}:${expiresAt}:${signature}`;
  const hit = recovered.get(key);
  if (hit !== undefined) return hit;
  const signer = await recoverTypedDataAddress({
    domain: resultDomain(chainId), types: workerAuthTypes, primaryType: "WorkerAuth",
    message: { nodeId, expiresAt: BigInt(expiresAt) }, signature,
  }).catch(() => null);
  if (recovered.size >= RECOVERED_MAX) {
    // Oldest first (Map keeps insertion order): drop a tenth, so junk headers cannot grow memory.
    let drop = RECOVERED_MAX / 10;
    for (const k of recovered.keys()) {
      if (drop-- <= 0) break;
      recovered.delete(k);
    }
  }
  recovered.set(key, signer);
  return signer;
}

export type WorkerCaller = { signer: string; as: "owner" | "session-key"; node: NodeAuthority };

/** The caller's claimed identity before the mirror is asked: a SIWE session (owner only) or a WorkerAuth header. */
type Claimant = { signer: string; via: "session" | "header" };

async function claimant(db: PrismaClient, chainId: number, request: Request, nodeId: bigint, now: Date): Promise<Claimant> {
  const session = await findSession(db, sessionToken(request), now);
  if (session) return { signer: session.address, via: "session" };
  const header = request.headers.get(WORKER_AUTH_HEADER);
  if (!header) throw unauthorized(`sign in, or send ${WORKER_AUTH_HEADER}: <expiresAt>.<EIP-712 WorkerAuth signature>`);
  const parsed = parseWorkerAuthHeader(header);
  if (!parsed) throw unauthorized(`${WORKER_AUTH_HEADER} must be <expiresAt>.<65-byte 0x signature>`);
  const { expiresAt, signature } = parsed;
  if (!workerAuthInWindow(expiresAt, now)) throw unauthorized(`${WORKER_AUTH_HEADER} expiresAt must be within ${WORKER_AUTH_MAX_SECONDS} s from now`);
  const signer = await recoverWorkerAuth(chainId, nodeId, expiresAt, signature);
  if (!signer) throw refused({ signer: "", via: "header" }, chainId, nodeId);
  return { signer, via: "header" };
}

/** The error for a claimant the mirror does not let act for the node: 403 for a signed-in wallet, else 401. */
function refused(c: Claimant, chainId: number, nodeId: bigint): ApiError {
  return c.via === "session"
    ? notEligible(`node ${nodeId} is not registered to ${c.signer} on chain ${chainId}`)
    : unauthorized(`${WORKER_AUTH_HEADER} is not signed by node ${nodeId}'s owner or one of its session keys`);
}

/**
 * Who is calling for `nodeId`: the node owner's SIWE session, or a `x-corex-worker` header signed
 * (EIP-712 WorkerAuth) by the owner or a session key delegated for that node. 401 otherwise; 403 when
 * a signed-in wallet does not own the node. Also returns the node's eligibility (active, faults) read
 * in the same statement, so a claim needs no second look-up.
 */
export async function authorizeWorker(db: PrismaClient, chainId: number, request: Request, nodeId: bigint, now = new Date()): Promise<WorkerCaller> {
  const c = await claimant(db, chainId, request, nodeId, now);
  const node = await nodeAuthority(db, chainId, c.signer, nodeId, now);
  const as = c.via === "session" ? (node?.as === "owner" ? "owner" : null) : node?.as;
  if (!node || !as) throw refused(c, chainId, nodeId);
  return { signer: c.signer, as, node };
}

/**
 * Extends `slotId`'s live lease held by `nodeId` if the caller may act for the node: the authority
 * check and the UPDATE are one statement (heartbeats are most of a worker's requests). Throws the
 * authorisation error, or answers `lease_deadline: null` when the lease is not (any more) this node's.
 */
export async function authorizedHeartbeat(db: PrismaClient, chainId: number, request: Request, slotId: string, nodeId: bigint, now = new Date()): Promise<Date | null> {
  const c = await claimant(db, chainId, request, nodeId, now);
  const rows = await db.$queryRaw<{ ok: boolean | null; lease_deadline: Date | null }[]>`
    WITH auth AS (SELECT ${mayActSql(c.signer, now, c.via === "session")} AS ok FROM nodes n WHERE n.chain_id = ${chainId} AND n.node_id = ${nodeId}),
    beat AS (
      UPDATE replica_slots SET lease_deadline = now() + make_interval(secs => lease_ms / 1000.0)
      WHERE id = ${slotId}::uuid AND state = 'leased' AND node_id = ${nodeId} AND lease_deadline >= now() AND (SELECT ok FROM auth)
      RETURNING lease_deadline
    )
    SELECT (SELECT ok FROM auth) AS ok, (SELECT lease_deadline FROM beat) AS lease_deadline`;
  if (!rows[0]?.ok) throw refused(c, chainId, nodeId);
  return rows[0].lease_deadline;
}
