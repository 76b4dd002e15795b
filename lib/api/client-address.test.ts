import { afterEach, describe, expect, it } from "vitest";
import { addressKey, clientAddress, normalizeAddress, PEER_HEADER } from "./client-address";

const STAMP = Symbol.for("corex.peer-stamp");
const request = (headers: Record<string, string>) => new Request("http://app.example/api/auth/nonce", { headers });

describe("client address for rate limits", () => {
  afterEach(() => {
    (globalThis as Record<symbol, unknown>)[STAMP] = true; // test/support's default for the other files
  });

  it("is the TCP peer with no trusted proxy: X-Forwarded-For and X-Real-IP are the client's to invent", () => {
    (globalThis as Record<symbol, unknown>)[STAMP] = true;
    const r = request({ [PEER_HEADER]: "203.0.113.9", "x-forwarded-for": "1.2.3.4, 5.6.7.8", "x-real-ip": "9.9.9.9" });
    expect(clientAddress(r, 0)).toBe("203.0.113.9");
  });

  it("behind N trusted proxies, is the entry N from the right of [...X-Forwarded-For, peer]", () => {
    (globalThis as Record<symbol, unknown>)[STAMP] = true;
    // client → proxy A → proxy B → app; the client wrote "6.6.6.6" itself.
    const r = request({ [PEER_HEADER]: "10.0.0.2", "x-forwarded-for": "6.6.6.6, 198.51.100.4, 10.0.0.1" });
    expect(clientAddress(r, 1)).toBe("10.0.0.1");
    expect(clientAddress(r, 2)).toBe("198.51.100.4");
    // More proxies configured than hops: the leftmost, never beyond.
    expect(clientAddress(request({ [PEER_HEADER]: "10.0.0.2" }), 2)).toBe("10.0.0.2");
  });

  it("ignores a peer header the server did not stamp: every such request is one client", () => {
    (globalThis as Record<symbol, unknown>)[STAMP] = false;
    expect(clientAddress(request({ [PEER_HEADER]: "203.0.113.9" }), 0)).toBe("unknown");
    expect(clientAddress(request({ [PEER_HEADER]: "203.0.113.9", "x-forwarded-for": "198.51.100.4" }), 1)).toBe("198.51.100.4");
  });

  it("normalises addresses and keys IPv6 clients by their /64", () => {
    expect(normalizeAddress("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeAddress("192.0.2.1:8443")).toBe("192.0.2.1");
    expect(normalizeAddress("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80::1");
    expect(normalizeAddress("x".repeat(100))).toHaveLength(64);
    expect(addressKey("192.0.2.1")).toBe("192.0.2.1");
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("64:ff9b::192.0.2.1")).toBe("64:ff9b:0:0::/64");
  });
});
