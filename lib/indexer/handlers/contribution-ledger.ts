// ContributionLedger: posted epochs (roots, totals, the running allowance), disputes and reward claims.
import type { BatchStore } from "../store";
import type { Row } from "../tables";
import { add, addr, hex, must, num, sub } from "./common";
import type { ContractHandlers, EventMeta, Keys, TypedEvent } from "./types";

type EpochEvent = EventMeta & { args: { epoch: bigint } };
type LedgerEvent<E extends keyof ContractHandlers<"ContributionLedger">> = TypedEvent<"ContributionLedger", E>;

const epochKey = (e: EpochEvent): Keys => [["epochs", { epoch: num(e.args.epoch) }]];

function updateEpoch(s: BatchStore, e: EpochEvent, patch: (ep: Row) => Row) {
  const ep = must(s.get("epochs", { epoch: num(e.args.epoch) }), `epoch ${num(e.args.epoch)}`, e);
  s.put("epochs", { ...ep, ...patch(ep), updated_block: num(e.blockNumber) }, e.blockNumber);
}

function epochPosted(e: LedgerEvent<"EpochPosted">, s: BatchStore) {
  const prev = s.get("epochs", { epoch: sub(e.args.epoch, 1) });
  const deadline = Number(e.args.disputeDeadline);
  s.put(
    "epochs",
    {
      epoch: num(e.args.epoch),
      credentials_root: hex(e.args.credentialsRoot),
      rewards_root: hex(e.args.rewardsRoot),
      total: num(e.args.total),
      allowance_through: add(prev?.allowance_through ?? "0", e.args.total),
      work_units: num(e.args.workUnits),
      credential_count: Number(e.args.credentialCount),
      posted_at: e.timestamp,
      dispute_deadline: new Date(deadline * 1000).toISOString(),
      status: "posted",
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
  EpochPosted: {
    // The previous epoch's row carries the allowance this one adds to.
    keys: (e) => [
      ["epochs", { epoch: num(e.args.epoch) }],
      ["epochs", { epoch: sub(e.args.epoch, 1) }],
    ],
    apply: epochPosted,
  },
  EpochDisputed: {
    keys: epochKey,
    apply: (e, s) =>
      updateEpoch(s, e, () => ({
        status: "disputed",
        disputer: addr(e.args.disputer),
        dispute_node_id: num(e.args.nodeId),
        dispute_reason_hash: hex(e.args.reasonHash),
        dispute_bond: num(e.args.bond),
      })),
  },
  DisputeResolved: {
    keys: epochKey,
    apply: (e, s) => updateEpoch(s, e, () => ({ status: e.args.upheld ? "invalid" : "confirmed" })),
  },
  Claimed: {
    keys: (e) => [...epochKey(e), ["claim_totals", { account: addr(e.args.account), node_id: num(e.args.nodeId) }]],
    apply: claimed,
  },
};
