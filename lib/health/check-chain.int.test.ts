import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicClient, http, type PublicClient } from "viem";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { deployAll } from "@/scripts/contracts/deploy";
import { deploymentSchema, type DeploymentAddresses } from "@/lib/chain/deployment";
import { checkChain } from "./check-chain";

describe("checkChain against anvil", () => {
  let anvil: AnvilInstance;
  let client: PublicClient;

  beforeAll(async () => {
    anvil = await startAnvil();
    client = createPublicClient({ transport: http(anvil.rpcUrl), cacheTime: 0 });
  });
  afterAll(() => anvil?.stop());

  it("is down when no deployment file exists for the chain", async () => {
    const h = await checkChain(client, 31337, undefined);
    expect(h.ok).toBe(false);
    expect(h.chainId).toBe(31337);
    expect(h.error).toMatch(/no deployment file/);
  });

  it("is healthy once the recorded contracts have code, and names the ones that do not", async () => {
    const deployed = deploymentSchema.parse(await deployAll({ rpcUrl: anvil.rpcUrl, deploymentsDir: null }));
    const ok = await checkChain(client, 31337, deployed);
    expect(ok).toMatchObject({ ok: true, deployment: { present: true, matchesChain: true, missingCode: [] } });
    expect(ok.blockNumber).toBeGreaterThanOrEqual(4);

    // A deployment file left over from an earlier chain: addresses with no code here.
    const stale: DeploymentAddresses = {
      ...deployed,
      contracts: { ...deployed.contracts, TaskManager: { address: "0x000000000000000000000000000000000000dEaD", blockNumber: 4 } },
    };
    const bad = await checkChain(client, 31337, stale);
    expect(bad.ok).toBe(false);
    expect(bad.deployment.missingCode).toEqual(["TaskManager"]);
  });

  it("is down when the RPC serves another chain id", async () => {
    const h = await checkChain(client, 8453, undefined);
    expect(h.ok).toBe(false);
    expect(h.error).toMatch(/serves chain 31337, expected 8453/);
  });

  it("is down, with the reason, when the RPC does not answer", async () => {
    const dead = createPublicClient({ transport: http("http://127.0.0.1:9", { retryCount: 0, timeout: 1_000 }) });
    const h = await checkChain(dead, 31337, undefined);
    expect(h.ok).toBe(false);
    expect(h.error).toMatch(/RPC unreachable/);
  });
});
