import "server-only";
import { prisma } from "@/lib/db";
import { serverPublicClient } from "@/lib/chain/server-client";
import { serverEnv } from "@/lib/env";

/** This app's origin as SIWE messages must name it: APP_ORIGIN, else the request's Host. */
export function appOrigin(request: Request): string {
  const configured = serverEnv().APP_ORIGIN;
  if (configured) return new URL(configured).origin;
  const url = new URL(request.url);
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? url.host;
  const proto = request.headers.get("x-forwarded-proto") ?? url.protocol.replace(":", "");
  return `${proto}://${host}`;
}

/** Cookies are Secure everywhere but `npm run dev` (plain http on a LAN address would drop them). */
export const secureCookies = () => serverEnv().NODE_ENV !== "development";

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
