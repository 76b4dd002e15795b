import "server-only";
import type { PrismaClient } from "@/lib/db";
import { listContributions, listFaults } from "@/lib/scheduler";
import type { EpochChain } from "./chain";
import { recordContributions } from "./credentials";
import { slashFaults } from "./slashing";

/**
 * How far back each pass looks again. A result is stamped `verifiedAt` inside the transaction that
 * accepts it, which may commit after a pass whose `until` was later than that stamp; looking back
 * this far picks it up on the next pass. Recording and slashing are idempotent, so overlap is free.
 */
export const INGEST_OVERLAP_MS = 120_000;

/**
 * Turns the scheduler's accepted compute and verification results since `since` into contribution
 * credentials (pending until the next epoch closes). Returns the watermark for the next pass.
 */
export async function ingestContributions(db: PrismaClient, chainId: number, since: Date, now = new Date()) {
  const rows = await listContributions(db, { since, until: now });
  await db.$transaction((tx) => recordContributions(tx, chainId, rows));
  return { recorded: rows.length, next: new Date(now.getTime() - INGEST_OVERLAP_MS) };
}

/** Slashes every fault the scheduler recorded since `since` (each fault at most once: slashFaults). */
export async function slashNewFaults(db: PrismaClient, chain: EpochChain, since: Date) {
  const faults = await listFaults(db, { chainId: chain.chainId, since });
  return slashFaults(db, chain, faults.map((f) => ({ id: f.id, nodeId: f.nodeId, evidence: f.evidence })));
}
