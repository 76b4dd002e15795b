import "server-only";
import { getAddress, type PublicClient } from "viem";
import { ApiError, notFound } from "@/lib/api";
import type { PrismaClient } from "@/lib/db";
import { delegationDomain, delegationTypes } from "./delegation";
import { delegationExpiryError } from "./rules";
import type { SessionKeyRequest } from "./schemas";
import { nodeAuthority } from "./worker-auth";

export type SessionKeyView = { id: string; sessionKey: `0x${string}`; nodeId: string; expiresAt: string; revoked: boolean };

const invalid = (message: string) => new ApiError(422, "invalid_delegation", message);

type Row = { id: string; keyAddress: string; nodeId: bigint; expiresAt: Date; revokedAt: Date | null };
const view = (r: Row): SessionKeyView => ({
  id: r.id,
  sessionKey: getAddress(r.keyAddress),
  nodeId: r.nodeId.toString(),
  expiresAt: r.expiresAt.toISOString(),
  revoked: r.revokedAt !== null,
});

/**
 * Registers a session key after checking the wallet's EIP-712 delegation: signed by `owner` (EOA or
 * EIP-1271 contract wallet), for a node `owner` owns in the chain mirror, expiring within 24 h.
 */
export async function registerSessionKey(
  ctx: { db: PrismaClient; client: PublicClient; chainId: number; now?: Date },
  owner: `0x${string}`,
  req: SessionKeyRequest,
): Promise<SessionKeyView> {
  const expiry = delegationExpiryError(req.expiresAt, ctx.now ?? new Date());
  if (expiry) throw invalid(expiry);
  const nodeId = BigInt(req.nodeId);
  const node = await ctx.db.node.findUnique({ where: { chainId_nodeId: { chainId: ctx.chainId, nodeId } } });
  if (!node) throw invalid(`node ${req.nodeId} is not registered on chain ${ctx.chainId}`);
  if (node.owner.toLowerCase() !== owner.toLowerCase()) throw invalid(`node ${req.nodeId} is not owned by ${owner}`);
  const ok = await ctx.client
    .verifyTypedData({
      address: owner,
      domain: delegationDomain(ctx.chainId),
      types: delegationTypes,
      primaryType: "SessionKeyDelegation",
      message: { sessionKey: getAddress(req.sessionKey), nodeId, expiresAt: BigInt(req.expiresAt) },
      signature: req.signature as `0x${string}`,
    })
    .catch(() => false);
  if (!ok) throw invalid(`signature is not ${owner}'s EIP-712 SessionKeyDelegation for these fields`);
  const keyAddress = req.sessionKey.toLowerCase();
  const taken = () => new ApiError(409, "conflict", `session key ${getAddress(keyAddress)} is already registered; use a fresh key`);
  if (await ctx.db.sessionKey.findUnique({ where: { keyAddress } })) throw taken();
  try {
    const row = await ctx.db.sessionKey.create({
      data: { owner: owner.toLowerCase(), keyAddress, nodeId, chainId: ctx.chainId, expiresAt: new Date(req.expiresAt * 1000), signature: req.signature },
    });
    return view(row);
  } catch (e) {
    // Two registrations of one key at once both pass the look-up above; the unique index refuses the second.
    if ((e as { code?: string }).code === "P2002") throw taken();
    throw e;
  }
}

export async function listSessionKeys(db: PrismaClient, owner: string): Promise<SessionKeyView[]> {
  const rows = await db.sessionKey.findMany({ where: { owner: owner.toLowerCase() }, orderBy: { createdAt: "desc" } });
  return rows.map(view);
}

export async function revokeSessionKey(db: PrismaClient, owner: string, keyAddress: string): Promise<void> {
  const res = await db.sessionKey.updateMany({
    where: { owner: owner.toLowerCase(), keyAddress: keyAddress.toLowerCase(), revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (res.count === 0) throw notFound(`no active session key ${keyAddress} of ${owner}`);
}

/**
 * May `signer` act for node `nodeId` right now: "owner", "session-key" (an unexpired, unrevoked key
 * delegated for that node by its current owner) or null. The same SQL rule the fragments API runs
 * (lib/auth/worker-auth.ts nodeAuthority): one expiry rule, not a second copy that could drift.
 */
export async function mayActForNode(db: PrismaClient, chainId: number, signer: string, nodeId: bigint, now = new Date()): Promise<"owner" | "session-key" | null> {
  return (await nodeAuthority(db, chainId, signer, nodeId, now))?.as ?? null;
}
