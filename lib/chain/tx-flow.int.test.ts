import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicClient, createWalletClient, custom, http, type EIP1193RequestFn, type PublicClient } from "viem";
import { foundry } from "viem/chains";
import { stakingAbi } from "@/contracts-abi";
import { deployAll } from "@/scripts/contracts/deploy";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { sendContractTx, type TxStage } from "./tx-flow";

const alice = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const bob = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

describe("sendContractTx against anvil", () => {
  let anvil: AnvilInstance;
  let staking: `0x${string}`;
  let publicClient: PublicClient;
  const rpcCalls: { method: string; params: unknown }[] = [];

  beforeAll(async () => {
    anvil = await startAnvil();
    const deployment = await deployAll({ rpcUrl: anvil.rpcUrl, deploymentsDir: null });
    staking = deployment.contracts.Staking.address;
    const chain = { ...foundry, rpcUrls: { default: { http: [anvil.rpcUrl] } } };
    const base = http(anvil.rpcUrl)({ chain });
    // The real RPC, with a record of what was asked (to see the gas estimate's block tag).
    publicClient = createPublicClient({
      chain,
      transport: custom({
        request: ((args: { method: string; params?: unknown }) => {
          rpcCalls.push({ method: args.method, params: args.params });
          return base.request(args as never);
        }) as EIP1193RequestFn,
      }),
    });
  });
  afterAll(async () => {
    await anvil?.stop();
  });

  const walletFor = (account: `0x${string}`, reject = false) => {
    const chain = { ...foundry, rpcUrls: { default: { http: [anvil.rpcUrl] } } };
    const base = http(anvil.rpcUrl)({ chain });
    return createWalletClient({
      account,
      chain,
      // anvil's dev accounts are unlocked: eth_sendTransaction is signed by the node, like an injected wallet.
      transport: custom({
        request: (async (args: { method: string; params?: unknown }) => {
          if (reject && args.method === "eth_sendTransaction") throw Object.assign(new Error("User rejected the request."), { code: 4001 });
          return base.request(args as never);
        }) as EIP1193RequestFn,
      }),
    });
  };

  const run = async (account: `0x${string}`, tx: Parameters<typeof sendContractTx>[0]["tx"], reject = false) => {
    const stages: TxStage[] = [];
    const result = await sendContractTx({
      publicClient,
      walletClient: walletFor(account, reject),
      account,
      chain: publicClient.chain!,
      tx,
      onStage: (s) => stages.push(s),
    });
    return { result, stages: stages.map((s) => s.stage), all: stages };
  };

  it("goes checking → sign → pending → confirmed, estimating gas at the pending block", async () => {
    rpcCalls.length = 0;
    const { result, stages, all } = await run(alice, { address: staking, abi: stakingAbi, functionName: "registerNode", args: [0, "ipfs://gpu"] });
    expect(stages).toEqual(["checking", "sign", "pending", "confirmed"]);
    expect(result.stage).toBe("confirmed");
    if (result.stage !== "confirmed") return;
    expect(result.receipt.status).toBe("success");
    const pending = all.find((s) => s.stage === "pending") as Extract<TxStage, { stage: "pending" }>;
    expect(pending.gas).toBeGreaterThan(21_000n);
    expect(pending.hash).toBe(result.hash);
    const estimate = rpcCalls.find((c) => c.method === "eth_estimateGas");
    expect((estimate?.params as unknown[])[1]).toBe("pending");
    const sent = await publicClient.getTransaction({ hash: result.hash });
    expect(sent.gas).toBe(pending.gas);
  });

  it("explains a custom error before anything is signed", async () => {
    const { result, stages } = await run(bob, { address: staking, abi: stakingAbi, functionName: "stake", args: [1n, 5n] });
    expect(stages).toEqual(["checking", "failed"]);
    expect(result).toMatchObject({ stage: "failed", errorName: "NotNodeOwner" });
    if (result.stage !== "failed") return;
    expect(result.reason).toBe(`Only the owner of node #1 can do this; the connected wallet is ${bob.slice(0, 6)}…${bob.slice(-4)}.`);

    const unknown = await run(bob, { address: staking, abi: stakingAbi, functionName: "requestUnstake", args: [99n, 1n] });
    expect(unknown.result).toMatchObject({ stage: "failed", errorName: "UnknownNode", reason: "There is no node #99." });
  });

  it("reports a rejection in the wallet", async () => {
    const { result, stages } = await run(alice, { address: staking, abi: stakingAbi, functionName: "registerNode", args: [1, "cpu"] }, true);
    expect(stages).toEqual(["checking", "sign", "failed"]);
    expect(result).toMatchObject({ stage: "failed", rejected: true, reason: "You rejected the request in your wallet." });
  });
});
