import { describe, expect, it } from "vitest";
import { WORKER_AUTH_MAX_SECONDS } from "@/lib/protocol";
import { MAX_DELEGATION_SECONDS } from "./delegation";
import { delegationExpiryError, isAdmin, isLive, nonceRefusal, siweMessageRefusal, workerAuthInWindow } from "./rules";

const at = (ms: number) => new Date(ms);

describe("the expiry rule: live while now < expiresAt", () => {
  it("is live a millisecond before, expired at and after expiresAt", () => {
    expect(isLive(at(1000), at(999))).toBe(true);
    expect(isLive(at(1000), at(1000))).toBe(false);
    expect(isLive(at(1000), at(1001))).toBe(false);
  });

  it("WorkerAuth header: expiresAt in (now, now + WORKER_AUTH_MAX_SECONDS], in unix seconds", () => {
    expect(WORKER_AUTH_MAX_SECONDS).toBe(600);
    const now = at(1_700_000_000_500); // half a second into second 1_700_000_000
    expect(workerAuthInWindow(1_700_000_000, now)).toBe(false); // already past
    expect(workerAuthInWindow(1_699_999_000, now)).toBe(false);
    expect(workerAuthInWindow(1_700_000_001, now)).toBe(true);
    expect(workerAuthInWindow(1_700_000_600, now)).toBe(true); // exactly the longest
    expect(workerAuthInWindow(1_700_000_601, now)).toBe(false); // one second too far ahead
    expect(workerAuthInWindow(1_700_000_000, at(1_699_999_999_999))).toBe(true);
  });

  it("session-key delegation: live and at most 24 h ahead", () => {
    expect(MAX_DELEGATION_SECONDS).toBe(86_400);
    const now = at(1_700_000_000_000);
    expect(delegationExpiryError(1_700_000_000, now)).toBe("expiresAt is in the past");
    expect(delegationExpiryError(1_600_000_000, now)).toBe("expiresAt is in the past");
    expect(delegationExpiryError(1_700_000_001, now)).toBeNull();
    expect(delegationExpiryError(1_700_086_400, now)).toBeNull();
    expect(delegationExpiryError(1_700_086_401, now)).toBe("expiresAt is more than 24 h from now");
    expect(delegationExpiryError(1_700_086_400, at(1_699_999_999_000))).toBe("expiresAt is more than 24 h from now");
  });

  it("nonce: issued, unused, live", () => {
    const now = at(5000);
    expect(nonceRefusal(null, now)).toEqual({ code: "siwe_nonce_unknown", message: "nonce was not issued by this app (GET /api/auth/nonce)" });
    expect(nonceRefusal({ usedAt: at(1), expiresAt: at(9000) }, now)).toEqual({ code: "siwe_nonce_used", message: "nonce was already used: request a new one" });
    expect(nonceRefusal({ usedAt: null, expiresAt: at(5000) }, now)).toEqual({ code: "siwe_nonce_unknown", message: "nonce expired: request a new one" });
    expect(nonceRefusal({ usedAt: null, expiresAt: at(5001) }, now)).toBeNull();
  });
});

describe("siweMessageRefusal", () => {
  const app = { origin: "https://corex.example:8443", chainId: 31337 };
  const now = at(1_700_000_000_000);
  const ok = { address: "0x0000000000000000000000000000000000000001", domain: "corex.example:8443", uri: "https://corex.example:8443/login", nonce: "abcdefgh1234", chainId: 31337, version: "1" } as const;
  const code = (fields: object) => siweMessageRefusal(fields, app, now)?.code ?? null;

  it("accepts a complete message for this app, chain and time", () => {
    expect(code(ok)).toBeNull();
    expect(code({ ...ok, expirationTime: at(1_700_000_000_001), notBefore: at(1_700_000_000_000) })).toBeNull();
  });

  it("requires every field and version 1", () => {
    for (const k of ["address", "domain", "uri", "nonce", "chainId"] as const) {
      const f: Record<string, unknown> = { ...ok };
      delete f[k];
      expect(code(f), k).toBe("siwe_invalid_message");
    }
    expect(code({ ...ok, chainId: 0, domain: "corex.example:8443" })).toBe("siwe_chain_mismatch"); // 0 is a chain id, not a missing one
    expect(code({ ...ok, version: "2" })).toBe("siwe_invalid_message");
    expect(siweMessageRefusal({}, app, now)?.message).toBe("not an EIP-4361 message: address, domain, uri, version 1, chain id and nonce are required");
  });

  it("binds the message to this app's host, origin and chain", () => {
    expect(siweMessageRefusal({ ...ok, domain: "corex.example" }, app, now)).toEqual({ code: "siwe_domain_mismatch", message: 'message domain "corex.example" is not this app\'s host "corex.example:8443"' });
    expect(code({ ...ok, domain: "evil.example:8443" })).toBe("siwe_domain_mismatch");
    expect(siweMessageRefusal({ ...ok, uri: "not a url" }, app, now)).toEqual({ code: "siwe_uri_mismatch", message: 'message URI "not a url" is not a URL' });
    expect(siweMessageRefusal({ ...ok, uri: "http://corex.example:8443/" }, app, now)).toEqual({ code: "siwe_uri_mismatch", message: 'message URI "http://corex.example:8443/" is not on this app\'s origin https://corex.example:8443' });
    expect(siweMessageRefusal({ ...ok, chainId: 1 }, app, now)).toEqual({ code: "siwe_chain_mismatch", message: "message chain id 1 is not the configured chain 31337" });
  });

  it("an expired or not yet valid message is refused, at the boundaries", () => {
    expect(siweMessageRefusal({ ...ok, expirationTime: now }, app, now)).toEqual({ code: "siwe_expired", message: "message expired at 2023-11-14T22:13:20.000Z" });
    expect(code({ ...ok, expirationTime: at(1_699_999_999_999) })).toBe("siwe_expired");
    expect(siweMessageRefusal({ ...ok, notBefore: at(1_700_000_000_001) }, app, now)).toEqual({ code: "siwe_not_yet_valid", message: "message is not valid before 2023-11-14T22:13:20.001Z" });
  });
});

describe("isAdmin", () => {
  it("matches an address in the list whatever the case, nothing else", () => {
    const admins = ["0xAbC0000000000000000000000000000000000001"];
    expect(isAdmin("0xabc0000000000000000000000000000000000001", admins)).toBe(true);
    expect(isAdmin("0xABC0000000000000000000000000000000000001", admins)).toBe(true);
    expect(isAdmin("0xabc0000000000000000000000000000000000002", admins)).toBe(false);
    expect(isAdmin("0xabc0000000000000000000000000000000000001", [])).toBe(false);
  });
});
