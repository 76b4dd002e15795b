import os from "node:os";
import { parseEnv, type EnvSource } from "../../lib/config/define";
import { nextDevEnvSchema } from "../../lib/config/tools";

/**
 * Hosts from which `next dev` may serve its dev resources (chunks, HMR socket). Next 16 allows only
 * localhost by default, so a page opened at http://127.0.0.1:3000 or at the network address Next
 * prints renders but never hydrates. Allowed: the loopback addresses, every address of this
 * machine's interfaces (what Next prints as "Network"), its host name, and DEV_ALLOWED_ORIGINS
 * (comma-separated host names, `*.example.com` wildcards allowed) for names only DNS knows.
 */
export function devAllowedOrigins(
  env: EnvSource = process.env,
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces(),
  hostname: string = os.hostname(),
): string[] {
  const hosts = new Set<string>(["127.0.0.1", "[::1]"]);
  for (const list of Object.values(interfaces)) {
    for (const i of list ?? []) {
      // Origins carry IPv6 hosts in brackets (URL.hostname of http://[fd00::2]:3000 is "[fd00::2]").
      hosts.add(i.family === "IPv6" ? `[${i.address}]` : i.address);
    }
  }
  if (hostname) hosts.add(hostname.toLowerCase());
  for (const h of parseEnv("next dev", nextDevEnvSchema, env).DEV_ALLOWED_ORIGINS) hosts.add(h);
  return [...hosts];
}

/** The address to print for people on other machines: the first non-internal IPv4 address, if any. */
export function networkAddress(interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces()): string | undefined {
  for (const list of Object.values(interfaces)) {
    for (const i of list ?? []) if (i.family === "IPv4" && !i.internal) return i.address;
  }
  return undefined;
}

/**
 * The origins (comma-separated, for APP_ORIGIN_ALIASES) at which the app on `port` is opened besides
 * localhost: every host devAllowedOrigins allows, wildcards left out (an origin names one host).
 */
export function devOriginAliases(port: number, hosts: string[] = devAllowedOrigins()): string {
  return hosts.filter((h) => !h.includes("*")).map((h) => `http://${h}:${port}`).join(",");
}
