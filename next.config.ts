import type { NextConfig } from "next";
import { apiContentSecurityPolicy, securityHeaders } from "./lib/security";
import { devAllowedOrigins } from "./scripts/lib/dev-origins";

const nextConfig: NextConfig = {
  // pino-pretty / lokijs are optional peers of WalletConnect that are never loaded in the browser.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "prom-client"],
  poweredByHeader: false,
  // Next 16 serves dev chunks and HMR to localhost only; without this a page opened at 127.0.0.1 or
  // at the printed network address never hydrates. Ignored by `next start`.
  allowedDevOrigins: devAllowedOrigins(),
  // Every response: no sniffing, no framing (lib/security). Pages get their nonce CSP from proxy.ts.
  async headers() {
    return [
      { source: "/:path*", headers: [...securityHeaders] },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: apiContentSecurityPolicy }] },
    ];
  },
};

export default nextConfig;
