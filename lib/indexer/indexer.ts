import type { Abi } from "viem";
import type { PrismaClient } from "@/lib/db/client";
import { contributionLedgerAbi, corexGovernorAbi, cxtTokenAbi, stakingAbi, taskManagerAbi, timelockControllerAbi } from "@/contracts-abi";
import { createDecoder, jsonArgs, type ContractSource, type Decoder } from "./decode";
import { ChainChangedError, DeepReorgError, FatalIndexerError, backoffMs, errorText, isRetryable, sleep, withRetry } from "./errors";
import { handlerFor, type ContractName, type IndexedEvent } from "./handlers";
import { fetchSplitting } from "./ranges";
import { findCommonAncestor, verifyChain, type BlockRef } from "./reorg";
import { createRpc, toHex, type RawBlock, type RawLog, type Rpc } from "./rpc";
import { BatchStore, type JournalEntry } from "./store";
import { deleteSql, loadSql, tableNames, tables, upsertSql, type Row, type TableName } from "./tables";

export const abis: Record<ContractName, Abi> = {
  CXTToken: cxtTokenAbi as Abi,
  Staking: stakingAbi as Abi,
  TaskManager: taskManagerAbi as Abi,
  ContributionLedger: contributionLedgerAbi as Abi,
  TimelockController: timelockControllerAbi as Abi,
  CorexGovernor: corexGovernorAbi as Abi,
};

export type IndexerOptions = {
  prisma: PrismaClient;
  rpcUrl: string;
  chainId: number;
  signal?: AbortSignal;
  /** Contracts to follow; default: the deployment file (DEPLOYMENTS_DIR or contracts-abi/deployments)/<chainId>.json. */
  contracts?: { name: ContractName; address: string; startBlock: number }[];
  /** Blocks below head − finalityDepth are final; a deeper reorg is fatal. */
  finalityDepth?: number;
  /** Largest eth_getLogs range (split automatically when the provider refuses). */
  maxBlockRange?: number;
  /** eth_getLogs ranges fetched ahead in parallel while the previous batch is written. */
  concurrency?: number;
  pollIntervalMs?: number;
  /** Events per batch the adaptive range size aims at. */
  targetBatchEvents?: number;
  /** Wipe this chain's mirror first and re-index from the deploy blocks. */
  rebuild?: boolean;
  /** Dev chains are recreated on every start: if the stored checkpoint block is not on the chain, rebuild instead of failing. */
  rebuildOnChainReset?: boolean;
  /** Return once the checkpoint reaches the head (backfill only). */
  stopAtHead?: boolean;
  /** Stop after this block is indexed (tests). */
  untilBlock?: number;
  rpcTimeoutMs?: number;
  /** Longest time between two heartbeats written while the indexer waits for new blocks. */
  heartbeatMs?: number;
  log?: (msg: string) => void;
};

type Checkpoint = BlockRef & { head: number | null };

type Fetched = {
  from: number;
  to: number;
  head: number;
  journalFrom: number;
  events: IndexedEvent[];
  /** Headers of the recent blocks of the range (for reorg detection), ascending. */
  headers: { number: number; hash: string; parentHash: string; timestamp: string }[];
  toHash: string;
  anchoredToCheckpoint: boolean;
};

const DEFAULTS = { finalityDepth: 64, maxBlockRange: 5_000, concurrency: 4, pollIntervalMs: 1_000, targetBatchEvents: 10_000, heartbeatMs: 5_000 };

export async function runIndexer(opts: IndexerOptions): Promise<void> {
  const log = opts.log ?? ((m: string) => console.log(`[indexer] ${m}`));
  const cfg = {
    finalityDepth: opts.finalityDepth ?? DEFAULTS.finalityDepth,
    maxBlockRange: opts.maxBlockRange ?? DEFAULTS.maxBlockRange,
    concurrency: opts.concurrency ?? DEFAULTS.concurrency,
    pollIntervalMs: opts.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
    targetBatchEvents: opts.targetBatchEvents ?? DEFAULTS.targetBatchEvents,
    heartbeatMs: opts.heartbeatMs ?? DEFAULTS.heartbeatMs,
  };
  let lastBeat = 0;
  let rangeSize = Math.min(cfg.maxBlockRange, 50); // grows (or shrinks) with the events per range
  const { prisma, chainId, signal } = opts;
  const rpc = createRpc(opts.rpcUrl, { timeoutMs: opts.rpcTimeoutMs });
  const sources = await resolveContracts(opts);
  const decoder = createDecoder(sources);
  const startBlock = Math.min(...sources.map((s) => s.startBlock));
  const retry = <T>(fn: () => Promise<T>) =>
    withRetry(fn, { signal, retries: 8, onRetry: (e, n) => log(`retrying after error (attempt ${n + 1}): ${errorText(e)}`) });

  if (opts.rebuild) {
    await wipeMirror(prisma, chainId);
    log(`chain ${chainId}: mirror wiped, re-indexing from block ${startBlock}`);
  }

  let failures = 0;
  while (!signal?.aborted) {
    try {
      let cp = await ensureCheckpoint(prisma, rpc, chainId, startBlock, retry);
      const head = await retry(() => rpc.request<string>("eth_blockNumber", []).then(Number));

      // Reorg check at the checkpoint: has the block we stopped at been replaced?
      if (cp.number >= 0) {
        const onChain = await retry(() => rpc.request<RawBlock | null>("eth_getBlockByNumber", [toHex(cp.number), false]));
        if (!onChain || onChain.hash.toLowerCase() !== cp.hash.toLowerCase()) {
          try {
            cp = await handleReorg(prisma, rpc, chainId, cp, cfg.finalityDepth, retry, log);
          } catch (e) {
            if (e instanceof DeepReorgError && opts.rebuildOnChainReset) {
              log(`chain ${chainId}: the stored checkpoint is not on this chain (a new dev chain?): rebuilding the mirror`);
              await wipeMirror(prisma, chainId);
              continue;
            }
            throw e;
          }
        }
      }

      const target = Math.min(head, opts.untilBlock ?? Infinity);
      if (cp.number >= target) {
        if (head !== cp.head || Date.now() - lastBeat >= cfg.heartbeatMs) {
          await setHead(prisma, chainId, head);
          lastBeat = Date.now();
        }
        if (opts.stopAtHead || (opts.untilBlock !== undefined && cp.number >= opts.untilBlock)) return;
        await sleep(cfg.pollIntervalMs, signal);
        failures = 0;
        continue;
      }

      // Fetch ranges ahead in parallel, commit them one by one in order. The range size adapts so
      // a batch holds about `targetBatchEvents` events (big ranges over quiet blocks, small over busy ones).
      const inflight: Promise<Fetched>[] = [];
      let nextFrom = cp.number + 1;
      let planned = 0;
      const fill = () => {
        while (inflight.length < cfg.concurrency && nextFrom <= target && planned < 256) {
          const from = nextFrom;
          const to = Math.min(target, from + rangeSize - 1);
          nextFrom = to + 1;
          planned++;
          const p = retry(() => fetchRange(rpc, decoder, from, to, head, cfg.finalityDepth));
          p.catch(() => {}); // awaited in order below; avoid unhandled rejections when we stop early
          inflight.push(p);
        }
      };
      fill();
      while (inflight.length && !signal?.aborted) {
        const f = await inflight.shift()!;
        const blocks = f.to - f.from + 1;
        if (f.events.length > cfg.targetBatchEvents) rangeSize = Math.max(1, Math.floor((blocks * cfg.targetBatchEvents) / f.events.length));
        else if (f.events.length < cfg.targetBatchEvents / 2 && blocks >= rangeSize) rangeSize = Math.min(cfg.maxBlockRange, rangeSize * 2);
        fill();
        cp = await commitBatch(prisma, chainId, cp, f);
      }
      failures = 0;
    } catch (e) {
      if (e instanceof FatalIndexerError) {
        log(`FATAL: ${e.message}`);
        throw e;
      }
      if (!isRetryable(e)) throw e;
      failures++;
      if (!(e instanceof ChainChangedError)) log(`error (will retry): ${errorText(e)}`);
      await sleep(e instanceof ChainChangedError ? 50 : backoffMs(Math.min(failures, 6)), signal);
    }
  }
}

async function resolveContracts(opts: IndexerOptions): Promise<ContractSource[]> {
  let list = opts.contracts;
  if (!list) {
    const { loadDeployment, deploymentsDir } = await import("@/lib/chain/deployments");
    const d = await loadDeployment(opts.chainId);
    if (!d) throw new FatalIndexerError(`no deployment for chain ${opts.chainId}: run \`npm run contracts:deploy\` first (${deploymentsDir()}/${opts.chainId}.json)`);
    list = Object.entries(d.contracts)
      .filter(([name]) => name in abis)
      .map(([name, c]) => ({ name: name as ContractName, address: c.address, startBlock: c.blockNumber }));
  }
  if (list.length === 0) throw new FatalIndexerError(`no contracts to index on chain ${opts.chainId}`);
  return list.map((c) => ({ ...c, abi: abis[c.name] }));
}

async function ensureCheckpoint(
  prisma: PrismaClient,
  rpc: Rpc,
  chainId: number,
  startBlock: number,
  retry: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<Checkpoint> {
  const rows = await prisma.$queryRawUnsafe<{ n: string; h: string; head: string | null }[]>(
    `SELECT block_number::text AS n, block_hash AS h, head_number::text AS head FROM indexer_checkpoints WHERE chain_id = $1`,
    chainId,
  );
  if (rows[0]) return { number: Number(rows[0].n), hash: rows[0].h, head: rows[0].head === null ? null : Number(rows[0].head) };
  const n = startBlock - 1;
  let hash = "0x";
  if (n >= 0) {
    const b = await retry(() => rpc.request<RawBlock | null>("eth_getBlockByNumber", [toHex(n), false]));
    if (!b) throw new ChainChangedError(`block ${n} not found`);
    hash = b.hash.toLowerCase();
  }
  await prisma.$executeRawUnsafe(
    `INSERT INTO indexer_checkpoints (chain_id, block_number, block_hash, updated_at, heartbeat_at) VALUES ($1, $2, $3, now(), now()) ON CONFLICT (chain_id) DO NOTHING`,
    chainId,
    n,
    hash,
  );
  return ensureCheckpoint(prisma, rpc, chainId, startBlock, retry);
}

/** Records the head and the heartbeat (updated_at moves only when the head does). */
async function setHead(prisma: PrismaClient, chainId: number, head: number) {
  await prisma.$executeRawUnsafe(
    `UPDATE indexer_checkpoints
     SET updated_at = CASE WHEN head_number IS DISTINCT FROM $2::bigint THEN now() ELSE updated_at END, head_number = $2::bigint, heartbeat_at = now()
     WHERE chain_id = $1`,
    chainId,
    head,
  );
}

/** Logs of [from, to] plus the headers of its not-yet-final blocks, checked for consistency. */
export async function fetchRange(rpc: Rpc, decoder: Decoder, from: number, to: number, head: number, finalityDepth: number): Promise<Fetched> {
  const logs = await fetchSplitting<RawLog>([from, to], (a, b) =>
    rpc.request<RawLog[]>("eth_getLogs", [{ address: decoder.addresses, fromBlock: toHex(a), toBlock: toHex(b) }]),
  );
  const journalFrom = head - finalityDepth + 1;
  // Headers from one block below the first recent block (an anchor for parent-hash checks), and
  // always `to` (its hash goes in the checkpoint). Blocks whose logs lack blockTimestamp need theirs.
  const start = Math.max(from, journalFrom - 1);
  const wanted = new Set<number>();
  for (let n = start; n <= to; n++) wanted.add(n);
  wanted.add(to);
  for (const l of logs) if (!l.blockTimestamp) wanted.add(Number(l.blockNumber));
  const numbers = [...wanted].sort((a, b) => a - b);
  const blocks: RawBlock[] = [];
  for (let i = 0; i < numbers.length; i += 500) {
    const chunk = numbers.slice(i, i + 500);
    blocks.push(...(await rpc.batch<RawBlock | null>(chunk.map((n) => ({ method: "eth_getBlockByNumber", params: [toHex(n), false] })))).map((b, j) => {
      if (!b) throw new ChainChangedError(`block ${chunk[j]} not found (chain shortened?)`);
      return b;
    }));
  }
  const byNumber = new Map(blocks.map((b) => [Number(b.number), b]));
  const recent = numbers
    .filter((n) => n >= start)
    .map((n) => {
      const b = byNumber.get(n)!;
      return { number: n, hash: b.hash.toLowerCase(), parentHash: b.parentHash.toLowerCase(), timestamp: new Date(Number(b.timestamp) * 1000).toISOString() };
    });
  const problem = verifyChain(null, recent);
  if (problem) throw new ChainChangedError(problem);
  const events: IndexedEvent[] = [];
  for (const l of logs) {
    if (l.removed) throw new ChainChangedError(`removed log in block ${Number(l.blockNumber)}`);
    const n = Number(l.blockNumber);
    const b = byNumber.get(n);
    // Logs of recent blocks must belong to the headers we fetched, or the chain moved in between.
    if (n >= start && b && b.hash.toLowerCase() !== l.blockHash.toLowerCase()) throw new ChainChangedError(`log of block ${n} has hash ${l.blockHash}, header ${b.hash}`);
    const ts = l.blockTimestamp ?? b!.timestamp;
    const ev = decoder.decode(l, new Date(Number(ts) * 1000).toISOString());
    if (ev) events.push(ev);
  }
  events.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  return {
    from,
    to,
    head,
    journalFrom,
    events,
    headers: recent,
    toHash: byNumber.get(to)!.hash.toLowerCase(),
    anchoredToCheckpoint: start === from,
  };
}

type Tx = Pick<PrismaClient, "$queryRawUnsafe" | "$executeRawUnsafe">;

const TX_OPTS = { timeout: 10 * 60_000, maxWait: 60_000 };

async function lockCheckpoint(tx: Tx, chainId: number, expected: BlockRef) {
  const rows = await tx.$queryRawUnsafe<{ n: string; h: string }[]>(
    `SELECT block_number::text AS n, block_hash AS h FROM indexer_checkpoints WHERE chain_id = $1 FOR UPDATE`,
    chainId,
  );
  if (!rows[0] || Number(rows[0].n) !== expected.number || rows[0].h !== expected.hash) {
    throw new FatalIndexerError(
      `chain ${chainId}: checkpoint moved under this indexer (expected ${expected.number}, found ${rows[0]?.n ?? "none"}): is another indexer running on the same database?`,
    );
  }
}

/**
 * Writes one batch atomically: raw events, derived rows, undo journal, recent block hashes and the
 * checkpoint commit together or not at all, so a crash at any moment leaves the mirror at a batch
 * boundary, and the next run resumes from that checkpoint.
 */
async function commitBatch(prisma: PrismaClient, chainId: number, cp: Checkpoint, f: Fetched): Promise<Checkpoint> {
  if (f.from !== cp.number + 1) throw new ChainChangedError(`batch ${f.from} does not follow checkpoint ${cp.number}`);
  if (f.anchoredToCheckpoint && f.headers[0] && f.headers[0].number === f.from && f.headers[0].parentHash !== cp.hash.toLowerCase()) {
    throw new ChainChangedError(`block ${f.from}'s parent ${f.headers[0].parentHash} is not checkpoint ${cp.hash}`);
  }
  const store = new BatchStore(f.journalFrom);
  for (const e of f.events) for (const [t, k] of handlerFor(e)?.keys?.(e) ?? []) store.want(t, k);

  await prisma.$transaction(async (tx) => {
    // A database crash may lose the last batches but never splits one (the checkpoint is in the same
    // transaction): the indexer then resumes from an earlier checkpoint. No fsync wait per batch.
    await tx.$executeRawUnsafe(`SET LOCAL synchronous_commit = off`);
    await lockCheckpoint(tx, chainId, cp);
    let inserted = 0;
    if (f.events.length) {
      // One multi-row INSERT from column arrays (unnest): Postgres parses arrays much faster than one
      // big jsonb document, and there is no per-event round trip.
      const ev = f.events;
      const res = await tx.$queryRawUnsafe<{ n: number }[]>(
        `WITH ins AS (
           INSERT INTO chain_events (chain_id, block_number, block_hash, tx_hash, log_index, address, contract, event_name, args, timestamp)
           SELECT $1, * FROM unnest($2::text[]::bigint[], $3::text[], $4::text[], $5::text[]::int[], $6::text[], $7::text[], $8::text[], $9::text[]::jsonb[], $10::text[]::timestamptz[])
           ON CONFLICT (chain_id, block_number, block_hash, tx_hash, log_index) DO NOTHING RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        chainId,
        ev.map((e) => String(e.blockNumber)),
        ev.map((e) => e.blockHash),
        ev.map((e) => e.txHash),
        ev.map((e) => String(e.logIndex)),
        ev.map((e) => e.address),
        ev.map((e) => e.contract),
        ev.map((e) => e.eventName),
        ev.map((e) => JSON.stringify(jsonArgs(e.args))),
        ev.map((e) => e.timestamp),
      );
      inserted = res[0].n;
    }
    for (const [table, keys] of store.wantedKeys()) {
      const rows = await tx.$queryRawUnsafe<Row[]>(loadSql(tables[table]), chainId, JSON.stringify(keys));
      store.loaded(table, rows);
    }
    for (const e of f.events) handlerFor(e)?.apply(e, store);
    await writeChanges(tx, chainId, store.changes());
    if (store.journal.length) {
      await tx.$executeRawUnsafe(
        `INSERT INTO indexer_journal (chain_id, block_number, table_name, key, prev)
         SELECT $1, block_number, table_name, key, prev FROM jsonb_to_recordset($2::jsonb) AS x(block_number bigint, table_name text, key jsonb, prev jsonb)`,
        chainId,
        JSON.stringify(store.journal.map((j: JournalEntry) => ({ block_number: j.block, table_name: j.table, key: j.key, prev: j.prev }))),
      );
    }
    if (f.headers.length) {
      await tx.$executeRawUnsafe(
        `INSERT INTO indexer_blocks (chain_id, number, hash, parent_hash, timestamp)
         SELECT $1, number, hash, parent_hash, timestamp FROM jsonb_to_recordset($2::jsonb) AS x(number bigint, hash text, parent_hash text, timestamp timestamptz)
         ON CONFLICT (chain_id, number) DO UPDATE SET hash = EXCLUDED.hash, parent_hash = EXCLUDED.parent_hash, timestamp = EXCLUDED.timestamp`,
        chainId,
        JSON.stringify(f.headers.map((h) => ({ number: h.number, hash: h.hash, parent_hash: h.parentHash, timestamp: h.timestamp }))),
      );
    }
    // Blocks below head − finalityDepth are final: their hashes and undo entries are no longer needed.
    await tx.$executeRawUnsafe(`DELETE FROM indexer_blocks WHERE chain_id = $1 AND number < $2`, chainId, f.journalFrom - 1);
    await tx.$executeRawUnsafe(`DELETE FROM indexer_journal WHERE chain_id = $1 AND block_number < $2`, chainId, f.journalFrom);
    await tx.$executeRawUnsafe(
      `UPDATE indexer_checkpoints SET block_number = $2::bigint, block_hash = $3, head_number = GREATEST($4::bigint, $2::bigint), events_indexed = events_indexed + $5::bigint, updated_at = now(), heartbeat_at = now() WHERE chain_id = $1`,
      chainId,
      f.to,
      f.toHash,
      f.head,
      inserted,
    );
  }, TX_OPTS);
  return { number: f.to, hash: f.toHash, head: f.head };
}

async function writeChanges(tx: Tx, chainId: number, changes: { table: TableName; upserts: Row[]; deletes: Row[] }[]) {
  for (const c of changes) {
    const def = tables[c.table];
    if (c.deletes.length) await tx.$executeRawUnsafe(deleteSql(def), chainId, JSON.stringify(c.deletes));
    if (c.upserts.length) await tx.$executeRawUnsafe(upsertSql(def), chainId, JSON.stringify(c.upserts));
  }
}

/** Finds the common ancestor, then reverts everything above it in one transaction. */
async function handleReorg(
  prisma: PrismaClient,
  rpc: Rpc,
  chainId: number,
  cp: Checkpoint,
  finalityDepth: number,
  retry: <T>(fn: () => Promise<T>) => Promise<T>,
  log: (m: string) => void,
): Promise<Checkpoint> {
  const stored = await prisma.$queryRawUnsafe<{ n: string; h: string }[]>(
    `SELECT number::text AS n, hash AS h FROM indexer_blocks WHERE chain_id = $1 AND number <= $2 AND number >= $3`,
    chainId,
    cp.number,
    cp.number - finalityDepth,
  );
  const ancestor = await findCommonAncestor({
    chainId,
    checkpoint: cp,
    stored: new Map(stored.map((r) => [Number(r.n), r.h])),
    finalityDepth,
    chainHash: (n) => retry(() => rpc.request<RawBlock | null>("eth_getBlockByNumber", [toHex(n), false]).then((b) => b?.hash ?? null)),
  });
  await revertTo(prisma, chainId, cp, ancestor);
  log(`chain ${chainId}: reorg of ${cp.number - ancestor.number} block(s): reverted to block ${ancestor.number}`);
  return { ...ancestor, head: cp.head };
}

export async function revertTo(prisma: PrismaClient, chainId: number, cp: BlockRef, ancestor: BlockRef): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await lockCheckpoint(tx, chainId, cp);
    const deleted = await tx.$executeRawUnsafe(`DELETE FROM chain_events WHERE chain_id = $1 AND block_number > $2`, chainId, ancestor.number);
    const entries = await tx.$queryRawUnsafe<{ t: string; k: string; p: string | null }[]>(
      `SELECT table_name AS t, key::text AS k, prev::text AS p FROM indexer_journal WHERE chain_id = $1 AND block_number > $2 ORDER BY block_number, id`,
      chainId,
      ancestor.number,
    );
    // Per row, the earliest entry above the ancestor holds its value as of the ancestor.
    const restore = new Map<TableName, Map<string, { key: Row; prev: Row | null }>>();
    for (const e of entries) {
      const table = e.t as TableName;
      if (!tableNames.includes(table)) throw new FatalIndexerError(`undo journal names unknown table ${e.t}`);
      let m = restore.get(table);
      if (!m) restore.set(table, (m = new Map()));
      if (!m.has(e.k)) m.set(e.k, { key: JSON.parse(e.k), prev: e.p === null ? null : JSON.parse(e.p) });
    }
    await writeChanges(
      tx,
      chainId,
      [...restore.entries()].map(([table, m]) => ({
        table,
        deletes: [...m.values()].map((v) => v.key),
        upserts: [...m.values()].flatMap((v) => (v.prev ? [v.prev] : [])),
      })),
    );
    await tx.$executeRawUnsafe(`DELETE FROM indexer_journal WHERE chain_id = $1 AND block_number > $2`, chainId, ancestor.number);
    await tx.$executeRawUnsafe(`DELETE FROM indexer_blocks WHERE chain_id = $1 AND number > $2`, chainId, ancestor.number);
    await tx.$executeRawUnsafe(
      `UPDATE indexer_checkpoints SET block_number = $2::bigint, block_hash = $3, events_indexed = events_indexed - $4::bigint, reorgs = reorgs + 1, updated_at = now() WHERE chain_id = $1`,
      chainId,
      ancestor.number,
      ancestor.hash,
      deleted,
    );
  }, TX_OPTS);
}

/** Deletes this chain's whole mirror (raw events, derived tables, journal, blocks, checkpoint). */
export async function wipeMirror(prisma: PrismaClient, chainId: number): Promise<void> {
  await prisma.$transaction(async (tx) => {
    for (const t of ["chain_events", "indexer_journal", "indexer_blocks", ...tableNames.map((n) => tables[n].name), "indexer_checkpoints"]) {
      await tx.$executeRawUnsafe(`DELETE FROM "${t}" WHERE chain_id = $1`, chainId);
    }
  }, TX_OPTS);
}
