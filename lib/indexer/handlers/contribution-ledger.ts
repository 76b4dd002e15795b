// ContributionLedger: posted epochs (roots, totals, the running allowance), disputes and reward claims.
import type { BatchStore } from "../store";
import type { Row } from "../tables";
import { add, addr, hex, must, num } from "./common";
import type { ContractHandlers, EventMeta, Keys, TypedEvent } from "./types";

type EpochEvent = EventMeta & { args: { epoch: bigint } };
type LedgerEvent<E extends keyof ContractHandlers<"ContributionLedger">> = TypedEvent<"ContributionLedger", E>;

const epochKey = (e: EpochEvent): Keys => [["epochs", { epoch: num(e.args.epoch) }]];

function updateEpoch(s: BatchStore, e: EpochEvent, patch: (ep: Row) => Row) {
  const ep = must(s.get("epochs", { epoch: num(e.args.epoch) }), `epoch ${num(e.args.epoch)}`, e);
  s.put("epochs", { ...ep, ...patch(ep), updated_block: num(e.blockNumber) }, e.blockNumber);
}

function epochPosted(e: LedgerEvent<"EpochPosted">, s: BatchStore) {
  const deadline = Number(e.args.disputeDeadline);
  s.put(
    "epochs",
    {
      epoch: num(e.args.epoch),
      credentials_root: hex(e.args.credentialsRoot),
      rewards_root: hex(e.args.rewardsRoot),
      total: num(e.args.total),
      // From the event, not summed here: it counts valid epochs only, and a mirror may start mid-way.
      allowance_through: num(e.args.allowanceThrough),
      work_units: num(e.args.workUnits),
      credential_count: Number(e.args.credentialCount),
      posted_at: e.timestamp,
      dispute_deadline: new Date(deadline * 1000).toISOString(),
      status: "posted",
      open_disputes: 0,
      disputer: null,
      dispute_node_id: null,
      dispute_reason_hash: null,
      dispute_bond: null,
      claimed_amount: "0",
      claim_count: 0,
      posted_block: num(e.blockNumber),
      posted_tx: e.txHash,
      updated_block: num(e.blockNumber),
    },
    e.blockNumber,
  );
}

function claimed(e: LedgerEvent<"Claimed">, s: BatchStore) {
  const account = addr(e.args.account);
  const nodeId = num(e.args.nodeId);
  updateEpoch(s, e, (ep) => ({ claimed_amount: add(ep.claimed_amount, e.args.amount), claim_count: Number(ep.claim_count) + 1 }));
  const cur = s.get("claim_totals", { account, node_id: nodeId });
  const max = (a: unknown, b: unknown) => (BigInt(a as string) > BigInt(b as string) ? num(a) : num(b));
  s.put(
    "claim_totals",
    {
      account,
      node_id: nodeId,
      amount: max(cur?.amount ?? "0", e.args.cumulativeAmount),
      work_units: max(cur?.work_units ?? "0", e.args.cumulativeWorkUnits),
      updated_block: num(e.blockNumber),
    },
    e.blockNumber,
  );
  s.put(
    "claims",
    {
      block_number: num(e.blockNumber),
      log_index: e.logIndex,
      tx_hash: e.txHash,
      epoch: num(e.args.epoch),
      account,
      node_id: nodeId,
      amount: num(e.args.amount),
      cumulative_amount: num(e.args.cumulativeAmount),
      work_units: num(e.args.workUnits),
      cumulative_work_units: num(e.args.cumulativeWorkUnits),
      timestamp: e.timestamp,
    },
    e.blockNumber,
  );
}

export const contributionLedgerHandlers: ContractHandlers<"ContributionLedger"> = {
  EpochPosted: { keys: epochKey, apply: epochPosted },
  EpochDisputed: {
    keys: epochKey,
    apply: (e, s) =>
      updateEpoch(s, e, (ep) => ({
        status: "disputed",
        open_disputes: Number(ep.open_disputes ?? 0) + 1,
        // The latest dispute's details (every one is in the logs).
        disputer: addr(e.args.disputer),
        dispute_node_id: num(e.args.nodeId),
        dispute_reason_hash: hex(e.args.reasonHash),
        dispute_bond: num(e.args.bond),
      })),
  },
  DisputeResolved: {
    keys: epochKey,
    // Upheld: invalid for good. Rejected: back to "posted" (final at its original deadline) once no
    // other dispute is open on the epoch.
    apply: (e, s) =>
      updateEpoch(s, e, (ep) => {
        const open = Math.max(0, Number(ep.open_disputes ?? 0) - 1);
        const status = e.args.upheld || ep.status === "invalid" ? "invalid" : open === 0 ? "posted" : "disputed";
        return { status, open_disputes: open };
      }),
  },
  Claimed: {
    keys: (e) => [...epochKey(e), ["claim_totals", { account: addr(e.args.account), node_id: num(e.args.nodeId) }]],
    apply: claimed,
  },
};
