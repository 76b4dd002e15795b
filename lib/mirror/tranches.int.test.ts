// Unbonding tranches replayed from the mirror agree with Staking.tranchesOf on a real chain: anvil,
// the deployed contracts, the dev seed (which gives accounts CXT through a claimed epoch), then
// unstakes, a withdrawal of the released prefix and a slash, each indexed by the real indexer.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createTestClient, http, parseEther, publicActions, walletActions, type Address } from "viem";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stakingAbi } from "@/contracts-abi";
import { runIndexer, type IndexerOptions } from "@/lib/indexer/indexer";
import type { Deployment } from "@/lib/chain/deployment";
import { deployAll } from "@/scripts/contracts/deploy";
import { seedDemo } from "@/scripts/seed";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";

let anvil: AnvilInstance;
let db: TestDatabase;
let dir: string;
let deployment: Deployment;
let mirror: typeof import("./index");

beforeAll(async () => {
  anvil = await startAnvil();
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  delete (globalThis as { __corexPrisma?: unknown }).__corexPrisma;
  mirror = await import("./index");
  dir = await mkdtemp(path.join(os.tmpdir(), "corex-tranches-"));
  deployment = await deployAll({ rpcUrl: anvil.rpcUrl, deploymentsDir: dir });
  await seedDemo(anvil.rpcUrl, deployment, () => {});
}, 120_000);

afterAll(async () => {
  await (globalThis as { __corexPrisma?: { $disconnect(): Promise<void> } }).__corexPrisma?.$disconnect();
  await db?.drop();
  await anvil?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("nodeTranches", () => {
  it("matches Staking.tranchesOf after unstakes, a partial withdrawal and a slash", async () => {
    const chain = { ...foundry, rpcUrls: { default: { http: [anvil.rpcUrl] } } };
    const client = createTestClient({ chain, mode: "anvil", transport: http(anvil.rpcUrl) }).extend(publicActions).extend(walletActions);
    const [, owner] = await client.getAddresses();
    const staking = deployment.contracts.Staking.address;
    const send = async (from: Address, functionName: "requestUnstake" | "withdraw" | "slash", args: readonly unknown[]) => {
      // Gas at `pending`, as the app does (contracts/README.md → the ERC20Votes gas estimation trap).
      const gas = await client.estimateContractGas({ account: from, address: staking, abi: stakingAbi, functionName, args, blockTag: "pending" } as never);
      const hash = await client.writeContract({ account: from, chain, address: staking, abi: stakingAbi, functionName, args, gas } as never);
      expect((await client.waitForTransactionReceipt({ hash })).status).toBe("success");
    };
    // Node 1 belongs to the seed's first owner (120,000 CXT staked); the dev unbonding period is 300 s.
    await send(owner!, "requestUnstake", [1n, parseEther("100")]);
    await client.increaseTime({ seconds: 100 });
    await send(owner!, "requestUnstake", [1n, parseEther("50")]);
    await client.increaseTime({ seconds: 250 }); // the first is released, the second not
    await send(owner!, "withdraw", [1n]);
    await send(owner!, "requestUnstake", [1n, parseEther("33")]);
    // The slasher is its own key since contracts v3 (never the oracle or the deployer).
    await send(deployment.roles.slasher, "slash", [1n, 1000, `0x${"ab".repeat(32)}`]);

    const contracts: IndexerOptions["contracts"] = Object.entries(deployment.contracts).map(([name, c]) => ({ name: name as never, address: c.address, startBlock: c.blockNumber }));
    await runIndexer({ prisma: db.prisma, rpcUrl: anvil.rpcUrl, chainId: 31337, contracts, stopAtHead: true, log: () => {} });

    const onChain = (await client.readContract({ address: staking, abi: stakingAbi, functionName: "tranchesOf", args: [1n] })) as readonly { amount: bigint; releaseAt: bigint }[];
    const replayed = await mirror.nodeTranches(31337, 1n);
    expect(onChain).toHaveLength(2);
    expect(replayed.map((t) => ({ amount: t.amount, releaseAt: BigInt(t.releaseAt.getTime() / 1000) }))).toEqual(onChain.map((t) => ({ amount: t.amount, releaseAt: t.releaseAt })));
    // And the mirror's node row agrees with their sum.
    const node = await mirror.getNode(31337, 1n);
    expect(BigInt(node!.unbonding.toFixed())).toBe(onChain.reduce((s, t) => s + t.amount, 0n));
  }, 120_000);
});
