import "server-only";
import { getAddress } from "viem";
import { forbidden, unauthorized } from "@/lib/api";
import type { PrismaClient } from "@/lib/db";
import { cookieMode } from "./context";
import { readCookie, sessionCookieName } from "./cookies";
import { isAdmin, isLive } from "./rules";
import { hashToken } from "./siwe";

export { SESSION_COOKIE, SIGNED_IN_HINT_COOKIE, clearedSessionCookies, readCookie, sessionCookie, sessionCookieName, sessionCookies, type CookieMode } from "./cookies";

export type SessionInfo = { address: `0x${string}`; chainId: number; expiresAt: Date };

/** The session token this request carries, under the cookie name its origin uses. */
export const sessionToken = (request: Request): string | undefined => readCookie(request, sessionCookieName(cookieMode(request)));

/** The session token of the request a server component renders (next/headers): the cookie a route would read. */
export async function pageSessionToken(): Promise<string | undefined> {
  // Imported here, not at the top: scripts (coordinator, benchmarks) load this module outside Next.
  const { headers } = await import("next/headers");
  const h = await headers();
  // Next sets x-forwarded-proto from the socket when the client sent none, as it does for route handlers' URLs.
  const proto = h.get("x-forwarded-proto") === "https" ? "https" : "http";
  return sessionToken(new Request(`${proto}://${h.get("host") ?? "localhost"}/`, { headers: h }));
}

/** Headers with every cookie of `cookies` as its own Set-Cookie line. */
export function withCookies(init: Record<string, string>, cookies: string[]): Headers {
  const headers = new Headers(init);
  for (const c of cookies) headers.append("set-cookie", c);
  return headers;
}

export async function findSession(db: PrismaClient, token: string | undefined, now = new Date()): Promise<SessionInfo | null> {
  if (!token) return null;
  const row = await db.session.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row || row.revokedAt || !isLive(row.expiresAt, now)) return null;
  return { address: getAddress(row.address), chainId: row.chainId, expiresAt: row.expiresAt };
}

/** The signed-in wallet, or 401. Routes call it before reading the body. */
export async function requireSession(db: PrismaClient, request: Request): Promise<SessionInfo> {
  const session = await findSession(db, sessionToken(request));
  if (!session) throw unauthorized();
  return session;
}

/** 401 without a session, 403 when its wallet is not in ADMIN_ADDRESSES (invariant 5). */
export async function requireAdmin(db: PrismaClient, request: Request, admins: readonly string[]): Promise<SessionInfo> {
  const session = await requireSession(db, request);
  if (!isAdmin(session.address, admins)) {
    throw forbidden(`${session.address} is not an admin`);
  }
  return session;
}

export async function endSession(db: PrismaClient, request: Request): Promise<void> {
  const token = sessionToken(request);
  if (token) await db.session.updateMany({ where: { tokenHash: hashToken(token), revokedAt: null }, data: { revokedAt: new Date() } });
}
