import { describe, expect, it } from "vitest";
import { delegationDomain, delegationTypes, MAX_DELEGATION_SECONDS } from "./delegation";
import { hashTypedData } from "viem";
import { sessionKeyParamsSchema, sessionKeyRequestSchema, verifyRequestSchema } from "./schemas";

const addr = `0x${"aB".repeat(20)}`;

describe("auth request shapes", () => {
  it("sign-in: a message of 1–4096 characters and a hex signature", () => {
    expect(verifyRequestSchema.safeParse({ message: "m", signature: "0xAb01" }).success).toBe(true);
    expect(verifyRequestSchema.safeParse({ message: "x".repeat(4096), signature: "0x00" }).success).toBe(true);
    for (const bad of [{ message: "", signature: "0x00" }, { message: "x".repeat(4097), signature: "0x00" }, { message: "m", signature: "00" }, { message: "m", signature: "0x" }, { message: "m", signature: "0xzz" }, { message: "m", signature: "zz0x00" }, { message: "m", signature: " 0x00" }, { message: "m", signature: "0x00 " }, { message: "m", signature: `0x${"0".repeat(20_000)}` }, { message: "m", signature: "0x00", extra: 1 }]) {
      expect(verifyRequestSchema.safeParse(bad).success, JSON.stringify(bad).slice(0, 80)).toBe(false);
    }
    expect(verifyRequestSchema.safeParse({ message: "m", signature: "00" }).error?.issues[0]?.message).toBe("must be 0x-prefixed hex");
  });

  it("session-key registration: an address, a node id, positive whole seconds, a hex signature; nothing else", () => {
    const ok = { sessionKey: addr, nodeId: "7", expiresAt: 1_700_000_000, signature: "0xab" };
    expect(sessionKeyRequestSchema.parse(ok)).toEqual(ok);
    for (const bad of [{ ...ok, sessionKey: addr.slice(0, 41) }, { ...ok, sessionKey: `${addr}0` }, { ...ok, sessionKey: `x${addr}` }, { ...ok, sessionKey: `0x${"g".repeat(40)}` }, { ...ok, nodeId: "0" }, { ...ok, expiresAt: 0 }, { ...ok, expiresAt: 1.5 }, { ...ok, signature: "ab" }, { ...ok, signature: "0xab!" }, { ...ok, signature: "zz0xab" }, { ...ok, extra: true }]) {
      expect(sessionKeyRequestSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(sessionKeyRequestSchema.safeParse({ ...ok, sessionKey: "0x1" }).error?.issues[0]?.message).toBe("must be a 0x-prefixed 20-byte address");
    expect(sessionKeyRequestSchema.safeParse({ ...ok, signature: "1" }).error?.issues[0]?.message).toBe("must be 0x-prefixed hex");
  });

  it("the session-key path parameter is an address", () => {
    expect(sessionKeyParamsSchema.safeParse({ key: addr }).success).toBe(true);
    for (const key of [addr.slice(0, 41), `${addr}0`, ` ${addr}`, `0x${"z".repeat(40)}`]) expect(sessionKeyParamsSchema.safeParse({ key }).success, key).toBe(false);
    expect(sessionKeyParamsSchema.safeParse({ key: "0x" }).error?.issues[0]?.message).toBe("must be a 0x-prefixed 20-byte address");
    expect(sessionKeyParamsSchema.safeParse({ key: addr, x: 1 }).success).toBe(false);
  });

  it("pins the delegation's EIP-712 digest (what wallets sign; workers and the server must agree)", () => {
    expect(MAX_DELEGATION_SECONDS).toBe(24 * 3600);
    expect(delegationDomain(5)).toEqual({ name: "Corex Network", version: "1", chainId: 5 });
    const message = { sessionKey: "0x0000000000000000000000000000000000000001", nodeId: 7n, expiresAt: 1_700_000_000n } as const;
    expect(hashTypedData({ domain: delegationDomain(31337), types: delegationTypes, primaryType: "SessionKeyDelegation", message })).toBe("0xf7eea2f7ae5310e8d65b10935a7a8a6ba99f6874c156fea537292e8391c01fc8");
  });
});
