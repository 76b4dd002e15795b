import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";
import { getIndexerStatus } from "@/lib/indexer/status";
import { renderMetrics } from "./index";

describe("/api/metrics content", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("exposes events indexed, checkpoint, head, lag and reorgs per chain in Prometheus text format", async () => {
    expect(await getIndexerStatus(db.prisma, 31337)).toMatchObject({ checkpoint: null, head: null, lag: null });
    await db.prisma.indexerCheckpoint.create({
      data: { chainId: 31337, blockNumber: 90n, blockHash: "0xabc", headNumber: 100n, eventsIndexed: 1234n, reorgs: 2 },
    });
    const { contentType, body } = await renderMetrics(db.prisma);
    expect(contentType).toMatch(/^text\/plain/);
    expect(body).toContain('corex_indexer_events_indexed{chain_id="31337"} 1234');
    expect(body).toContain('corex_indexer_checkpoint_block{chain_id="31337"} 90');
    expect(body).toContain('corex_indexer_head_block{chain_id="31337"} 100');
    expect(body).toContain('corex_indexer_lag_blocks{chain_id="31337"} 10');
    expect(body).toContain('corex_indexer_reorgs_total{chain_id="31337"} 2');
    expect(body).toMatch(/# TYPE corex_indexer_reorgs_total counter/);
    expect(body).toMatch(/corex_indexer_heartbeat_age_seconds\{chain_id="31337"\} \d/);
    // Process metrics carry the project prefix once: corex_process_…, never corex_process_process_….
    expect(body).toMatch(/^corex_process_cpu_seconds_total \d/m);
    expect(body).toMatch(/^corex_nodejs_heap_size_total_bytes \d/m);
    expect(body).not.toMatch(/corex_process_process_|corex_process_nodejs_/);
    expect(await getIndexerStatus(db.prisma, 31337)).toMatchObject({ checkpoint: 90, head: 100, lag: 10, eventsIndexed: 1234, reorgs: 2 });
  });
});
