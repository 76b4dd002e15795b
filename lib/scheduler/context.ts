import "server-only";
import type { BlobStore } from "@/lib/blobs";
import type { PrismaClient } from "@/lib/db";
import type { TrainingSpec } from "@/lib/protocol";

export type SchedulerCtx = { db: PrismaClient; store: BlobStore; chainId: number };

/** Agreement tolerance between two deltas of one fragment (docs/concepts/verification.md → Tolerance). */
export const TOLERANCE = { relativeL2: 1e-3 } as const;

/** Lease length: 30 s plus 3× the fragment at 20 MFLOP/s (a slow browser tab), at most 1 h. */
export function leaseMsFor(workUnits: bigint): number {
  return Math.min(3_600_000, 30_000 + Number((workUnits * 3n) / 20_000n));
}

/** Claim priority: the job's fee per work unit (× 10^18), one replica per fragment counted k times. */
export function priorityOf(spec: TrainingSpec, jobWorkUnits: bigint): bigint {
  const units = jobWorkUnits * BigInt(spec.redundancy);
  return units === 0n ? 0n : (BigInt(spec.fee) * 10n ** 18n) / units;
}

export async function getBlob(store: BlobStore, sha256: string): Promise<Uint8Array> {
  const b = await store.get(sha256);
  if (!b) throw new Error(`blob ${sha256} is missing from the store`);
  return b;
}
