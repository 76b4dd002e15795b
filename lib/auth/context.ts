import "server-only";
import { prisma } from "@/lib/db";
import { serverPublicClient } from "@/lib/chain";
import { serverEnv } from "@/lib/env";
import type { CookieMode } from "./session";

/**
 * This app's origin as SIWE messages must name it: APP_ORIGIN, else the request's Host header.
 * Set APP_ORIGIN in production: a Host header is whatever the client sends, so without it a message
 * signed for another site could be replayed here with that site's Host. X-Forwarded-* are never
 * trusted for this. A request whose Host is one of APP_ORIGIN_ALIASES (what `npm run dev` serves
 * at besides localhost: 127.0.0.1, the network address it prints) gets that alias instead: a fixed
 * list, so a Host header still cannot name an arbitrary site.
 */
export function appOrigin(request: Request): string {
  const env = serverEnv();
  const url = new URL(request.url);
  const requested = `${url.protocol}//${request.headers.get("host") ?? url.host}`;
  if (env.APP_ORIGIN) {
    const alias = env.APP_ORIGIN_ALIASES.map((o) => new URL(o).origin).find((o) => o === requested);
    return alias ?? new URL(env.APP_ORIGIN).origin;
  }
  return requested;
}

/**
 * How session cookies are set for this request: Secure everywhere but `npm run dev` (plain http on a
 * LAN address would drop them), and `__Host-`-prefixed when the app is served over HTTPS (APP_ORIGIN's
 * scheme, else the request's).
 */
export function cookieMode(request: Request): CookieMode {
  const https = new URL(appOrigin(request)).protocol === "https:";
  return { secure: https || serverEnv().NODE_ENV !== "development", hostPrefix: https };
}

export function authContext(request: Request) {
  const env = serverEnv();
  return {
    db: prisma,
    client: serverPublicClient(),
    origin: appOrigin(request),
    chainId: env.CHAIN_ID,
    sessionTtlSeconds: env.SESSION_TTL_SECONDS,
  };
}
