import type { NextConfig } from "next";
import { devAllowedOrigins } from "./scripts/lib/dev-origins";

const nextConfig: NextConfig = {
  // pino-pretty / lokijs are optional peers of WalletConnect that are never loaded in the browser.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "prom-client"],
  poweredByHeader: false,
  // Next 16 serves dev chunks and HMR to localhost only; without this a page opened at 127.0.0.1 or
  // at the printed network address never hydrates. Ignored by `next start`.
  allowedDevOrigins: devAllowedOrigins(),
};

export default nextConfig;
