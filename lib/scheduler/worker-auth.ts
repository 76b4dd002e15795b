import "server-only";
import { recoverTypedDataAddress } from "viem";
import { ApiError, unauthorized } from "@/lib/api";
import { findSession, readCookie, SESSION_COOKIE } from "@/lib/auth";
import type { PrismaClient } from "@/lib/db/client";
import { resultDomain, WORKER_AUTH_HEADER, WORKER_AUTH_MAX_SECONDS, workerAuthTypes } from "./protocol";

export const notEligible = (message: string) => new ApiError(403, "node_not_eligible", message);

/** What the mirror says about a caller and a node, read in one round trip. */
export type NodeAuthority = { as: "owner" | "session-key" | null; active: boolean; faults: number };

/**
 * May `signer` act for `nodeId`, and may the node work? One statement: the node's owner, whether
 * `signer` holds an unexpired, unrevoked session key delegated for this node by its current owner
 * (lib/auth mayActForNode's rule), `active`, and its fault count. null: no such node.
 */
export async function nodeAuthority(db: PrismaClient, chainId: number, signer: string, nodeId: bigint, now = new Date()): Promise<NodeAuthority | null> {
  const rows = await db.$queryRaw<{ owner: string; active: boolean; faults: number; delegated: boolean }[]>`
    SELECT n.owner, n.active,
      (SELECT count(*)::int FROM faults f WHERE f.chain_id = n.chain_id AND f.node_id = n.node_id) AS faults,
      EXISTS (SELECT 1 FROM session_keys k WHERE k.key_address = ${signer.toLowerCase()} AND k.revoked_at IS NULL AND k.expires_at > ${now}
              AND k.chain_id = n.chain_id AND k.node_id = n.node_id AND lower(k.owner) = lower(n.owner)) AS delegated
    FROM nodes n WHERE n.chain_id = ${chainId} AND n.node_id = ${nodeId}`;
  const r = rows[0];
  if (!r) return null;
  const as = r.owner.toLowerCase() === signer.toLowerCase() ? "owner" : r.delegated ? "session-key" : null;
  return { as, active: r.active, faults: Number(r.faults) };
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

/**
 * Who is calling for `nodeId`: the node owner's SIWE session, or a `x-corex-worker` header signed
 * (EIP-712 WorkerAuth) by the owner or a session key delegated for that node. 401 otherwise; 403 when
 * a signed-in wallet does not own the node. Also returns the node's eligibility (active, faults) read
 * in the same statement, so a claim needs no second look-up.
 */
export async function authorizeWorker(db: PrismaClient, chainId: number, request: Request, nodeId: bigint, now = new Date()): Promise<WorkerCaller> {
  const session = await findSession(db, readCookie(request, SESSION_COOKIE), now);
  if (session) {
    const node = await nodeAuthority(db, chainId, session.address, nodeId, now);
    if (!node || node.as !== "owner") throw notEligible(`node ${nodeId} is not registered to ${session.address} on chain ${chainId}`);
    return { signer: session.address, as: "owner", node };
  }
  const header = request.headers.get(WORKER_AUTH_HEADER);
  if (!header) throw unauthorized(`sign in, or send ${WORKER_AUTH_HEADER}: <expiresAt>.<EIP-712 WorkerAuth signature>`);
  const m = /^([0-9]{1,12})\.(0x[0-9a-fA-F]{130})$/.exec(header);
  if (!m) throw unauthorized(`${WORKER_AUTH_HEADER} must be <expiresAt>.<65-byte 0x signature>`);
  const expiresAt = Number(m[1]);
  const t = Math.floor(now.getTime() / 1000);
  if (expiresAt <= t || expiresAt > t + WORKER_AUTH_MAX_SECONDS) throw unauthorized(`${WORKER_AUTH_HEADER} expiresAt must be within ${WORKER_AUTH_MAX_SECONDS} s from now`);
  const signer = await recoverWorkerAuth(chainId, nodeId, expiresAt, m[2]!.toLowerCase() as `0x${string}`);
  const node = signer ? await nodeAuthority(db, chainId, signer, nodeId, now) : null;
  if (!signer || !node?.as) throw unauthorized(`${WORKER_AUTH_HEADER} is not signed by node ${nodeId}'s owner or one of its session keys`);
  return { signer, as: node.as, node };
}
