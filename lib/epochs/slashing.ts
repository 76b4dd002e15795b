import "server-only";
import { keccak256, parseAbiItem, toHex, type Hex } from "viem";
import { stakingAbi } from "@/contracts-abi/staking";
import { notFound } from "@/lib/api";
import type { PrismaClient } from "@/lib/db";
import { revertReason } from "@/lib/chain";
import { sendTx } from "@/lib/chain";
import type { EpochChain } from "./chain";
import { EPOCH_RULES, canonicalEvidenceJson } from "./rules";

export { canonicalEvidenceJson };

/** What the fragments engineer's verification produces: a fault of a node, with its evidence. */
export type FaultRow = { id: string; nodeId: bigint | number | string; evidence: unknown };

/** The fault record a slash commits to; `evidenceHash = keccak256(utf8(canonicalEvidenceJson(record)))`. */
export function faultRecord(f: FaultRow) {
  return { id: f.id, nodeId: BigInt(f.nodeId).toString(), evidence: f.evidence };
}
export const evidenceHashOf = (f: FaultRow): Hex => keccak256(toHex(canonicalEvidenceJson(faultRecord(f))));

const LOCK_CLASS = 0x534c4153; // 'SLAS'
const slashedEvent = parseAbiItem("event Slashed(uint256 indexed nodeId, address indexed slasher, uint16 bps, uint256 fromStake, uint256 fromUnbonding, uint256 newStake, uint256 newUnbonding, bytes32 evidenceHash)");

/**
 * Turns faults into `Staking.slash(nodeId, EPOCH_RULES.slashBps, evidenceHash)`, signed by the slasher
 * key (`chain.slasher`, never the oracle's). The contract takes at most one slash per node per epoch
 * and none while the node's own dispute is pending: those faults come back "failed" with the revert
 * reason (AlreadySlashedThisEpoch, StakeLocked). A fault slashes at
 * most once: each is handled under an advisory lock, its row (keyed by fault id) is written before
 * sending, and a fault already slashed on the chain (a Slashed event with its evidence hash, e.g.
 * after a crash between sending and recording) is only recorded.
 */
export async function slashFaults(db: PrismaClient, chain: EpochChain, faults: readonly FaultRow[]) {
  const out: { faultId: string; status: "sent" | "skipped" | "failed"; txHash?: string; error?: string }[] = [];
  for (const f of faults) {
    const evidenceHash = evidenceHashOf(f);
    const nodeId = BigInt(f.nodeId);
    const r = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_CLASS}::int, ${chain.chainId}::int)`;
      const existing = await tx.faultSlash.findUnique({ where: { faultId: f.id } });
      if (existing && existing.status !== "pending") return { faultId: f.id, status: "skipped" as const, txHash: existing.txHash ?? undefined };
      if (!existing) {
        await tx.faultSlash.create({ data: { faultId: f.id, chainId: chain.chainId, nodeId, evidence: faultRecord(f) as never, evidenceHash, bps: EPOCH_RULES.slashBps, status: "pending" } });
      }
      const logs = await chain.client.getLogs({ address: chain.addresses.staking, event: slashedEvent, args: { nodeId }, fromBlock: 0n });
      const done = logs.find((l) => l.args.evidenceHash?.toLowerCase() === evidenceHash);
      if (done) {
        await tx.faultSlash.update({ where: { faultId: f.id }, data: { status: "sent", txHash: done.transactionHash } });
        return { faultId: f.id, status: "skipped" as const, txHash: done.transactionHash };
      }
      try {
        if (!chain.slasher) throw new Error("SLASHER_PRIVATE_KEY is not set: the coordinator key may not slash");
        const { hash } = await sendTx(chain.slasher, { address: chain.addresses.staking, abi: stakingAbi, functionName: "slash", args: [nodeId, EPOCH_RULES.slashBps, evidenceHash] });
        await tx.faultSlash.update({ where: { faultId: f.id }, data: { status: "sent", txHash: hash } });
        return { faultId: f.id, status: "sent" as const, txHash: hash };
      } catch (e) {
        const error = revertReason(e);
        await tx.faultSlash.update({ where: { faultId: f.id }, data: { status: "failed", error } });
        return { faultId: f.id, status: "failed" as const, error };
      }
    }, { timeout: 60_000, maxWait: 30_000 });
    out.push(r);
  }
  return out;
}

export async function getFault(db: PrismaClient, id: string) {
  const r = await db.faultSlash.findUnique({ where: { faultId: id } });
  if (!r) throw notFound(`no fault ${id}`);
  return {
    id: r.faultId, nodeId: r.nodeId.toString(), evidence: r.evidence, canonical: canonicalEvidenceJson(r.evidence), evidenceHash: r.evidenceHash, bps: r.bps,
    status: r.status as "pending" | "sent" | "failed", txHash: r.txHash, error: r.error,
  };
}

export async function listFaultsOfNode(db: PrismaClient, chainId: number, nodeId: bigint) {
  const rows = await db.faultSlash.findMany({ where: { chainId, nodeId }, orderBy: { createdAt: "desc" }, take: 50 });
  return rows.map((r) => ({ id: r.faultId, evidenceHash: r.evidenceHash, status: r.status, txHash: r.txHash, createdAt: r.createdAt.toISOString() }));
}
