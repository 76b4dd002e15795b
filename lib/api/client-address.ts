import { isIP } from "node:net";

/**
 * The TCP peer of a request, as `stampPeerAddresses` (lib/api/peer-stamp.ts) writes it on every request
 * the server receives. Next passes route handlers no socket, and it fills `X-Forwarded-For` from the
 * socket only when the client sent none, so without this a client chooses its own address.
 */
export const PEER_HEADER = "x-corex-peer";

const STAMPED = Symbol.for("corex.peer-stamp");

/** Is this process's HTTP server stamping PEER_HEADER? Only then is that header ours and not the client's. */
export const peerStampInstalled = (): boolean => (globalThis as Record<symbol, unknown>)[STAMPED] === true;

export function markPeerStampInstalled(): void {
  (globalThis as Record<symbol, unknown>)[STAMPED] = true;
}

/**
 * The client's address: the TCP peer with no trusted proxy; behind `trustedProxies` proxies that each
 * append the address they saw to X-Forwarded-For, the entry that many places from the right of
 * [...X-Forwarded-For, peer]. Entries further left were written by the client and are never read.
 * "unknown" when the peer is not known (the stamp is not installed): every such request shares one
 * budget, which fails closed rather than letting a header pick the budget.
 */
export function clientAddress(request: Request, trustedProxies: number): string {
  const hops = trustedProxies > 0 ? (request.headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean) : [];
  hops.push((peerStampInstalled() && request.headers.get(PEER_HEADER)) || "unknown");
  return normalizeAddress(hops[Math.max(0, hops.length - 1 - trustedProxies)]!);
}

/** `[::ffff:1.2.3.4]:80` → `1.2.3.4`, IPv6 lower-cased without zone; anything else capped at 64 characters. */
export function normalizeAddress(raw: string): string {
  let a = raw.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^[0-9.]+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(":"));
  a = a.replace(/%.*$/, "");
  if (a.startsWith("::ffff:") && isIP(a.slice(7)) === 4) a = a.slice(7);
  return isIP(a) ? a : a.slice(0, 64);
}

/**
 * The rate-limit key of an address: IPv4 as is, IPv6 by its /64 (one customer of an ISP or cloud gets a
 * whole /64, so per-address budgets would be per-customer × 2⁶⁴).
 */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  return `${ipv6Groups(address).slice(0, 4).join(":")}::/64`;
}

function ipv6Groups(address: string): string[] {
  const side = (s: string) =>
    s ? s.split(":").flatMap((g) => (g.includes(".") ? ipv4Groups(g) : [parseInt(g, 16).toString(16)])) : [];
  const [head, tail] = address.split("::");
  const left = side(head!);
  const right = tail === undefined ? [] : side(tail);
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...fill, ...right];
}

function ipv4Groups(v4: string): string[] {
  const [a, b, c, d] = v4.split(".").map(Number) as [number, number, number, number];
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}
