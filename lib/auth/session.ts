import "server-only";
import { getAddress } from "viem";
import { forbidden, unauthorized } from "@/lib/api";
import type { PrismaClient } from "@/lib/db";
import { cookieMode } from "./context";
import { hashToken } from "./siwe";

export const SESSION_COOKIE = "corex_session";

export type SessionInfo = { address: `0x${string}`; chainId: number; expiresAt: Date };

/** How this request's cookies are set (lib/auth/context.ts cookieMode): Secure, and `__Host-` over HTTPS. */
export type CookieMode = { secure: boolean; hostPrefix: boolean };

/**
 * Over HTTPS the session cookie is `__Host-corex_session`: browsers keep a `__Host-` cookie only when
 * it is Secure, has Path=/ and no Domain, so a sibling subdomain or a plain-http page cannot plant
 * or overwrite it (cookie tossing). Plain http (`npm run dev`, e2e on localhost) keeps the bare name.
 */
export const sessionCookieName = (mode: Pick<CookieMode, "hostPrefix">) => (mode.hostPrefix ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE);

/** A cookie's value, or undefined (absent, or not valid percent-encoding: a cookie is client input). */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

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

/** The session cookie: httpOnly, SameSite=Lax, Secure outside development, `__Host-` over HTTPS. */
export function sessionCookie(token: string, expiresAt: Date, mode: CookieMode): string {
  return [
    `${sessionCookieName(mode)}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Expires=${expiresAt.toUTCString()}`,
    mode.secure || mode.hostPrefix ? "Secure" : "",
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
export function sessionCookies(token: string, expiresAt: Date, mode: CookieMode): string[] {
  const hint = [`${SIGNED_IN_HINT_COOKIE}=1`, "Path=/", "SameSite=Lax", `Expires=${expiresAt.toUTCString()}`, mode.secure || mode.hostPrefix ? "Secure" : ""];
  return [sessionCookie(token, expiresAt, mode), hint.filter(Boolean).join("; ")];
}

export const clearedSessionCookies = (mode: CookieMode) => sessionCookies("", new Date(0), mode);

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
  const session = await findSession(db, sessionToken(request));
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
  const token = sessionToken(request);
  if (token) await db.session.updateMany({ where: { tokenHash: hashToken(token), revokedAt: null }, data: { revokedAt: new Date() } });
}
