// The pure access rules of lib/auth, apart from the database work around them, so that each has one
// definition, is unit-tested at its boundaries, and `npm run test:mutation` can mutate it: the expiry
// rule every credential shares, the WorkerAuth and delegation windows, the EIP-4361 message checks,
// the nonce's state and the admin list.
import type { SiweMessage } from "viem/siwe";
import type { ErrorCode } from "@/lib/api";
import { WORKER_AUTH_MAX_SECONDS } from "@/lib/protocol";
import { MAX_DELEGATION_SECONDS } from "./delegation";

/**
 * The one expiry rule: a session, a nonce, a SIWE message, a WorkerAuth header or a delegated session
 * key is live while now < expiresAt; at expiresAt it has expired. The SQL of lib/auth/worker-auth.ts
 * (`k.expires_at > now`) is the same rule for session keys.
 */
export const isLive = (expiresAt: Date, now: Date): boolean => expiresAt.getTime() > now.getTime();

/** `expiresAt` in unix seconds as a Date. */
const fromSeconds = (s: number) => new Date(s * 1000);

/** A WorkerAuth header's `expiresAt` (unix seconds) is live and at most WORKER_AUTH_MAX_SECONDS ahead. */
export function workerAuthInWindow(expiresAt: number, now: Date): boolean {
  return isLive(fromSeconds(expiresAt), now) && expiresAt <= Math.floor(now.getTime() / 1000) + WORKER_AUTH_MAX_SECONDS;
}

/** Why a session-key delegation's `expiresAt` (unix seconds) is refused, or null: live and within 24 h. */
export function delegationExpiryError(expiresAt: number, now: Date): string | null {
  if (!isLive(fromSeconds(expiresAt), now)) return "expiresAt is in the past";
  if (expiresAt > Math.floor(now.getTime() / 1000) + MAX_DELEGATION_SECONDS) return `expiresAt is more than ${MAX_DELEGATION_SECONDS / 3600} h from now`;
  return null;
}

export type Refusal = { code: ErrorCode; message: string };

/**
 * Why an EIP-4361 message (as viem's parseSiweMessage reads it) may not sign in to this app, or null:
 * every field present and version 1, domain = the app's host, URI on the app's origin, the configured
 * chain, not expired and already valid. The nonce and the signature are checked after it (signIn).
 */
export function siweMessageRefusal(fields: Partial<SiweMessage>, app: { origin: string; chainId: number }, now: Date): Refusal | null {
  if (!fields.address || !fields.domain || !fields.uri || !fields.nonce || fields.chainId === undefined || fields.version !== "1") {
    return { code: "siwe_invalid_message", message: "not an EIP-4361 message: address, domain, uri, version 1, chain id and nonce are required" };
  }
  const origin = new URL(app.origin);
  if (fields.domain !== origin.host) return { code: "siwe_domain_mismatch", message: `message domain "${fields.domain}" is not this app's host "${origin.host}"` };
  let uri: URL;
  try {
    uri = new URL(fields.uri);
  } catch {
    return { code: "siwe_uri_mismatch", message: `message URI "${fields.uri}" is not a URL` };
  }
  if (uri.origin !== origin.origin) return { code: "siwe_uri_mismatch", message: `message URI "${fields.uri}" is not on this app's origin ${origin.origin}` };
  if (fields.chainId !== app.chainId) return { code: "siwe_chain_mismatch", message: `message chain id ${fields.chainId} is not the configured chain ${app.chainId}` };
  if (fields.expirationTime && !isLive(fields.expirationTime, now)) return { code: "siwe_expired", message: `message expired at ${fields.expirationTime.toISOString()}` };
  if (fields.notBefore && fields.notBefore.getTime() > now.getTime()) return { code: "siwe_not_yet_valid", message: `message is not valid before ${fields.notBefore.toISOString()}` };
  return null;
}

/** Why a nonce row may not sign in, or null: issued by this app, unused and live. */
export function nonceRefusal(nonce: { usedAt: Date | null; expiresAt: Date } | null, now: Date): Refusal | null {
  if (!nonce) return { code: "siwe_nonce_unknown", message: "nonce was not issued by this app (GET /api/auth/nonce)" };
  if (nonce.usedAt) return { code: "siwe_nonce_used", message: "nonce was already used: request a new one" };
  if (!isLive(nonce.expiresAt, now)) return { code: "siwe_nonce_unknown", message: "nonce expired: request a new one" };
  return null;
}

/** Is `address` in the admin list (ADMIN_ADDRESSES), whatever the letters' case. */
export const isAdmin = (address: string, admins: readonly string[]): boolean => admins.some((a) => a.toLowerCase() === address.toLowerCase());
