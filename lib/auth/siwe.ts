import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { getAddress, isHex, type PublicClient } from "viem";
import { parseSiweMessage } from "viem/siwe";
import { ApiError } from "@/lib/api";
import type { PrismaClient } from "@/lib/db";
import { nonceRefusal, siweMessageRefusal } from "./rules";

export const NONCE_TTL_MS = 10 * 60_000;

export type SignInContext = {
  db: PrismaClient;
  /** verifies signatures (EOA, EIP-1271 and ERC-6492 contract wallets) against the configured chain */
  client: PublicClient;
  /** this app's origin, e.g. `http://localhost:3000`: the message's domain must be its host, its URI on it */
  origin: string;
  chainId: number;
  sessionTtlSeconds: number;
  now?: Date;
};

export type SignedIn = { token: string; address: `0x${string}`; expiresAt: Date };

/**
 * A one-time nonce (EIP-4361: alphanumeric, ≥ 8 characters), valid for 10 minutes: 128 bits from the
 * CSPRNG as 32 hex digits. Not viem's generateSiweNonce: it cuts its nonces from one Math.random()
 * buffer at an offset that moves by one character per call, so each nonce is the previous one shifted
 * by a character. Expired nonces are swept with the rate-limit rows (lib/auth/rate-limit.ts).
 */
export async function issueNonce(db: PrismaClient, now = new Date()): Promise<string> {
  const nonce = randomBytes(16).toString("hex");
  await db.authNonce.create({ data: { nonce, createdAt: now, expiresAt: new Date(now.getTime() + NONCE_TTL_MS) } });
  return nonce;
}

const fail = (code: ConstructorParameters<typeof ApiError>[1], message: string) => new ApiError(401, code, message);

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Checks an EIP-4361 message and its signature; on success consumes the nonce and opens a session,
 * both in one transaction. Any failed check throws 401 with the reason and changes nothing.
 */
export async function signIn(ctx: SignInContext, input: { message: string; signature: string }): Promise<SignedIn> {
  const now = ctx.now ?? new Date();
  const fields = parseSiweMessage(input.message);
  const refusal = siweMessageRefusal(fields, ctx, now);
  if (refusal) throw fail(refusal.code, refusal.message);
  if (!isHex(input.signature)) throw fail("siwe_bad_signature", "signature must be 0x-prefixed hex");
  const nonce = nonceRefusal(await ctx.db.authNonce.findUnique({ where: { nonce: fields.nonce! } }), now);
  if (nonce) throw fail(nonce.code, nonce.message);

  let valid = false;
  try {
    valid = await ctx.client.verifySiweMessage({ message: input.message, signature: input.signature, address: fields.address, time: now });
  } catch {
    valid = false;
  }
  if (!valid) throw fail("siwe_bad_signature", `signature does not verify for ${fields.address}`);

  const address = getAddress(fields.address!);
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + ctx.sessionTtlSeconds * 1000);
  await ctx.db.$transaction(async (tx) => {
    // Consume the nonce only if still unused: two concurrent verifies of one message open one session.
    const used = await tx.authNonce.updateMany({ where: { nonce: fields.nonce, usedAt: null }, data: { usedAt: now } });
    if (used.count !== 1) throw fail("siwe_nonce_used", "nonce was already used: request a new one");
    await tx.session.create({
      data: { tokenHash: hashToken(token), address: address.toLowerCase(), chainId: ctx.chainId, createdAt: now, expiresAt },
    });
  });
  return { token, address, expiresAt };
}
