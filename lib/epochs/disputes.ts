import "server-only";
import type { Hex } from "viem";
import { contributionLedgerAbi } from "@/contracts-abi/contribution-ledger";
import { revertReason, sendTx } from "@/lib/chain";
import type { EpochChain } from "./chain";

type DisputeView = { disputer: string; nodeId: bigint; bond: bigint; resolveBy: bigint; state: number };
/** ContributionLedger.DisputeState.Open. */
const OPEN = 1;

export type DisputeSettlement = { epoch: bigint; index: bigint; status: "settled"; txHash: Hex } | { epoch: bigint; index: bigint; status: "failed"; reason: string };

/**
 * Settles as upheld every dispute on the last posted epoch whose `resolveBy` has passed with the
 * resolver silent (`settleDispute`, open to anyone): the epoch turns invalid, the disputer's bond and
 * stake come back, and the closer can post the next epoch (which re-declares the invalid one's total).
 * Only the last epoch can hold open disputes: a new epoch is posted once the previous is final or invalid.
 * Idempotent: a dispute settled meanwhile (by the resolver, another instance or anyone) is read as closed.
 */
export async function settleExpiredDisputes(chain: EpochChain, opts: { log?: (s: string) => void } = {}): Promise<DisputeSettlement[]> {
  const read = <T>(functionName: string, args: readonly unknown[] = []) =>
    chain.client.readContract({ address: chain.addresses.ledger, abi: contributionLedgerAbi, functionName, args } as never) as Promise<T>;
  const epoch = await read<bigint>("lastEpoch");
  if (epoch === 0n) return [];
  const [raised, open] = await read<readonly [bigint, bigint]>("disputeCount", [epoch]);
  if (open === 0n) return [];
  const now = (await chain.client.getBlock()).timestamp;
  const out: DisputeSettlement[] = [];
  for (let index = 0n; index < raised; index++) {
    const d = await read<DisputeView>("getDispute", [epoch, index]);
    if (d.state !== OPEN || now <= d.resolveBy) continue;
    try {
      const { hash } = await sendTx(chain, { address: chain.addresses.ledger, abi: contributionLedgerAbi, functionName: "settleDispute", args: [epoch, index] });
      opts.log?.(`epoch ${epoch}: dispute ${index} passed its resolveBy with no verdict: settled as upheld (tx ${hash})`);
      out.push({ epoch, index, status: "settled", txHash: hash });
    } catch (e) {
      out.push({ epoch, index, status: "failed", reason: revertReason(e) });
    }
  }
  return out;
}
