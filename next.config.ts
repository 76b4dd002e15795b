import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // pino-pretty / lokijs are optional peers of WalletConnect that are never loaded in the browser.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "prom-client"],
  poweredByHeader: false,
};

export default nextConfig;
