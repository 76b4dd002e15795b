import { describe, expect, it } from "vitest";
import { faucetRefusal, FAUCET_CHAIN_ID } from "./index";

const key = `0x${"11".repeat(32)}`;

describe("faucetRefusal", () => {
  it("refuses every chain but the dev chain with a 403 that names both chains, key or no key", () => {
    for (const chainId of [1, 8453, 11155111, 31338]) {
      const e = faucetRefusal({ CHAIN_ID: chainId, DEV_FAUCET_PRIVATE_KEY: key });
      expect(e?.status).toBe(403);
      expect(e?.code).toBe("faucet_unavailable");
      expect(e?.message).toContain(`dev chain (${FAUCET_CHAIN_ID})`);
      expect(e?.message).toContain(`chain ${chainId}`);
    }
  });

  it("refuses the dev chain without a faucet key, and lets it through with one", () => {
    expect(faucetRefusal({ CHAIN_ID: 31337 })?.message).toContain("DEV_FAUCET_PRIVATE_KEY is unset");
    expect(faucetRefusal({ CHAIN_ID: 31337, DEV_FAUCET_PRIVATE_KEY: key })).toBeNull();
  });
});
