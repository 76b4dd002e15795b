import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAnvil, type AnvilInstance } from "@/test/support/anvil";
import { connectChain, Workload, type ChainCtx } from "@/test/support/chain-workload";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { mirrorDiffs } from "@/test/support/mirror";
import { runIndexer } from "./indexer";

// A batch's rows and its checkpoint commit together. The kill -9 tests stop the indexer between
// commits it has seen; this one injects the fault between statements of one batch — after its rows
// are written and when its checkpoint moves — with a trigger, and checks that none of the batch's rows
// outlived it and that a restart yields a mirror equal to the chain.
describe("indexer: a fault between a batch's rows and its checkpoint leaves neither (Postgres + anvil)", () => {
  let anvil: AnvilInstance;
  let ctx: ChainCtx;
  let db: TestDatabase;
  beforeAll(async () => {
    anvil = await startAnvil();
    ctx = await connectChain(anvil.rpcUrl);
    db = await createTestDatabase();
    const w = new Workload(ctx, 7);
    await w.bootstrap();
    await w.run(40);
  });
  afterAll(async () => {
    await db?.drop();
    await anvil?.stop();
  });

  it("the failed batch's events are gone, the checkpoint did not move past them, and a rerun mirrors the chain", async () => {
    const head = Number(await ctx.client.getBlockNumber());
    const cut = Math.floor(head / 2);
    await db.prisma.$executeRawUnsafe(`
      CREATE FUNCTION fail_checkpoint() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.block_number > ${cut} AND NEW.block_number IS DISTINCT FROM OLD.block_number THEN
          RAISE EXCEPTION 'injected fault before the checkpoint of block %', NEW.block_number;
        END IF;
        RETURN NEW;
      END $$`);
    await db.prisma.$executeRawUnsafe(`CREATE TRIGGER fail_checkpoint BEFORE UPDATE ON indexer_checkpoints FOR EACH ROW EXECUTE FUNCTION fail_checkpoint()`);
    const index = () => runIndexer({ prisma: db.prisma, rpcUrl: anvil.rpcUrl, chainId: ctx.chainId, contracts: ctx.contracts, stopAtHead: true, finalityDepth: 256, maxBlockRange: 5, concurrency: 1, log: () => {} });
    await expect(index()).rejects.toThrow(/injected fault/);

    const [cp] = await db.prisma.$queryRaw<{ block_number: bigint }[]>`SELECT block_number FROM indexer_checkpoints`;
    const checkpoint = Number(cp!.block_number);
    expect(checkpoint).toBeLessThanOrEqual(cut);
    expect(checkpoint).toBeGreaterThan(0);
    // every event row is at or below the checkpoint, and they are exactly the chain's logs up to it
    const [rows] = await db.prisma.$queryRaw<{ n: number; max: bigint | null }[]>`SELECT count(*)::int AS n, max(block_number) AS max FROM chain_events`;
    expect(Number(rows!.max)).toBeLessThanOrEqual(checkpoint);
    const logs = (await ctx.client.request({ method: "eth_getLogs", params: [{ address: ctx.contracts.map((c) => c.address), fromBlock: "0x0", toBlock: `0x${checkpoint.toString(16)}` }] } as never)) as unknown[];
    expect(rows!.n).toBe(logs.length);
    const [blocks] = await db.prisma.$queryRaw<{ max: bigint | null }[]>`SELECT max(number) AS max FROM indexer_blocks`;
    expect(Number(blocks!.max)).toBeLessThanOrEqual(checkpoint);

    await db.prisma.$executeRawUnsafe(`DROP TRIGGER fail_checkpoint ON indexer_checkpoints`);
    await index();
    expect(await mirrorDiffs(db.prisma, ctx)).toEqual([]);
  });
});
