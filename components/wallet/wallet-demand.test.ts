import { describe, expect, it } from "vitest";
import { hadWalletSession, requestWallet, takeConnectIntent } from "./wallet-demand";

const storage = (value: string | null) => ({ getItem: (k: string) => (k === "wagmi.store" ? value : null) });

describe("wallet demand", () => {
  it("restores the wallet stack only when wagmi persisted a current connection", () => {
    expect(hadWalletSession(storage(null))).toBe(false);
    expect(hadWalletSession(storage("not json"))).toBe(false);
    expect(hadWalletSession(storage(JSON.stringify({ state: { current: null, chainId: 31337 } })))).toBe(false);
    expect(hadWalletSession(storage(JSON.stringify({ state: { current: "abc123", chainId: 31337 } })))).toBe(true);
    expect(hadWalletSession(undefined)).toBe(false);
  });

  it("hands the connect intent to one island only", () => {
    expect(takeConnectIntent()).toBe(false);
    requestWallet({ connect: true });
    expect(takeConnectIntent()).toBe(true);
    expect(takeConnectIntent()).toBe(false);
  });
});
