import "server-only";
import { getAddress } from "viem";
import { forbidden, unauthorized } from "@/lib/api";
import type { PrismaClient } from "@/lib/db";
import { hashToken } from "./siwe";

export const SESSION_COOKIE = "corex_session";

export type SessionInfo = { address: `0x${string}`; chainId: number; expiresAt: Date };

export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The session cookie: httpOnly, SameSite=Lax, Secure outside development. */
export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Expires=${expiresAt.toUTCString()}`,
    secure ? "Secure" : "",
  ].filter(Boolean).join("; ");
}

/**
 * A readable companion of the session cookie that says only "a session may exist": the browser can't
 * see the httpOnly session cookie, and without this hint it would ask GET /api/auth/session (a 401,
 * logged in the console) on every page that loads the wallet stack. Not a credential: the server never
 * reads it.
 */
export const SIGNED_IN_HINT_COOKIE = "corex_signed_in";

/** Both Set-Cookie values of a sign-in: the session and its hint, with the same lifetime. */
export function sessionCookies(token: string, expiresAt: Date, secure: boolean): string[] {
  const hint = [`${SIGNED_IN_HINT_COOKIE}=1`, "Path=/", "SameSite=Lax", `Expires=${expiresAt.toUTCString()}`, secure ? "Secure" : ""];
  return [sessionCookie(token, expiresAt, secure), hint.filter(Boolean).join("; ")];
}

export const clearedSessionCookies = (secure: boolean) => sessionCookies("", new Date(0), secure);

/** Headers with every cookie of `cookies` as its own Set-Cookie line. */
export function withCookies(init: Record<string, string>, cookies: string[]): Headers {
  const headers = new Headers(init);
  for (const c of cookies) headers.append("set-cookie", c);
  return headers;
}

export async function findSession(db: PrismaClient, token: string | undefined, now = new Date()): Promise<SessionInfo | null> {
  if (!token) return null;
  const row = await db.session.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row || row.revokedAt || row.expiresAt.getTime() <= now.getTime()) return null;
  return { address: getAddress(row.address), chainId: row.chainId, expiresAt: row.expiresAt };
}

/** The signed-in wallet, or 401. Routes call it before reading the body. */
export async function requireSession(db: PrismaClient, request: Request): Promise<SessionInfo> {
  const session = await findSession(db, readCookie(request, SESSION_COOKIE));
  if (!session) throw unauthorized();
  return session;
}

/** 401 without a session, 403 when its wallet is not in ADMIN_ADDRESSES (invariant 5). */
export async function requireAdmin(db: PrismaClient, request: Request, admins: readonly string[]): Promise<SessionInfo> {
  const session = await requireSession(db, request);
  if (!admins.some((a) => a.toLowerCase() === session.address.toLowerCase())) {
    throw forbidden(`${session.address} is not an admin`);
  }
  return session;
}

export async function endSession(db: PrismaClient, request: Request): Promise<void> {
  const token = readCookie(request, SESSION_COOKIE);
  if (token) await db.session.updateMany({ where: { tokenHash: hashToken(token), revokedAt: null }, data: { revokedAt: new Date() } });
}
