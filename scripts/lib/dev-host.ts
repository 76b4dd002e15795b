import { isIP } from "node:net";

/** Everything-interfaces addresses `--expose` binds to. */
export const EXPOSE_HOST = "0.0.0.0";

export type AppListen = {
  /** What `next dev|start -H` gets. */
  host: string;
  /** Loopback only: nobody else on the network can open the app. */
  local: boolean;
  /** Where this machine's own processes reach the app (health probe, dev workers). */
  internalUrl: string;
};

const isLoopback = (host: string) => host === "localhost" || host === "::1" || (isIP(host) === 4 && host.startsWith("127."));

/**
 * Where `npm run dev` serves the app: DEV_HOST (default 127.0.0.1), or every interface with the
 * `--expose` flag. `next dev` pages show stack traces with server paths and the dev chain's keys
 * are public, so serving the network takes that explicit choice.
 */
export function appListen(devHost: string, argv: readonly string[], port: number): AppListen {
  const host = argv.includes("--expose") ? EXPOSE_HOST : devHost;
  const local = isLoopback(host);
  const reach = local ? host : "127.0.0.1";
  return { host, local, internalUrl: `http://${isIP(reach) === 6 ? `[${reach}]` : reach}:${port}` };
}

/** The banner's lines about who can open the app. */
export function listenBanner(listen: AppListen, port: number, lan: string | undefined): string[] {
  if (listen.local) {
    return [`Served on ${listen.host} only (this machine). To open it from other machines: npm run dev -- --expose`];
  }
  return [
    `Served on ${listen.host}: open to the network${lan ? ` (http://${lan}:${port})` : ""}.`,
    "Dev pages show stack traces with server paths and the dev chain's keys are public: expose it on a network you trust only.",
  ];
}
