import { NextResponse, type NextRequest } from "next/server";
import { foundry } from "viem/chains";
import { themeBootScript } from "@/components/theme/theme";
import { publicConfig, serverEnv } from "@/lib/env";
import { contentSecurityPolicy, cspNonce, originsOf, scriptHash } from "@/lib/security";

// The layout's one inline script of our own, allowed by its hash (no nonce to thread through React).
const themeHash = scriptHash(themeBootScript);

/**
 * Every page gets a Content-Security-Policy with a fresh nonce (lib/security/csp.ts). Next reads the
 * nonce from the request's CSP header and puts it on its own scripts; pages are rendered per request
 * anyway (the root layout is dynamic), so a nonce costs no static rendering.
 */
export function proxy(request: NextRequest) {
  const env = serverEnv();
  const nonce = cspNonce();
  const policy = contentSecurityPolicy({
    nonce,
    dev: env.NODE_ENV === "development",
    // As lib/auth appOrigin decides: APP_ORIGIN's scheme, else the request's.
    https: (env.APP_ORIGIN ? new URL(env.APP_ORIGIN).protocol : request.nextUrl.protocol) === "https:",
    // The wallet stack's transports: the target chain's RPC and the dev chain it keeps available (lib/chain/wagmi-config.ts).
    connect: originsOf([publicConfig().rpcUrl, foundry.rpcUrls.default.http[0]]),
    scriptHashes: [themeHash],
  });
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: not the API (JSON, its own policy in next.config.ts), Next's static files or the icons.
      source: "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg|apple-touch-icon.png|.*\\.(?:png|svg|ico|webmanifest)$).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
