// Staking: the node registry, stake and unbonding, slashes, tiers, and governance delegation (the
// staking contract is the governor's votes source).
import type { BatchStore } from "../store";
import type { Row } from "../tables";
import { add, addr, hex, isoSeconds, must, num } from "./common";
import type { ContractHandlers, EventMeta, Keys, TypedEvent } from "./types";

const NODE_KINDS = ["gpu", "cpu", "edge", "browser"] as const;

type NodeEvent = EventMeta & { args: { nodeId: bigint } };
type StakingEvent<E extends keyof ContractHandlers<"Staking">> = TypedEvent<"Staking", E>;

const nodeKey = (e: NodeEvent): Keys => [["nodes", { node_id: num(e.args.nodeId) }]];
const kindName = (kind: number) => NODE_KINDS[kind] ?? String(kind);

function updateNode(s: BatchStore, e: NodeEvent, patch: Row) {
  const n = must(s.get("nodes", { node_id: num(e.args.nodeId) }), `node ${num(e.args.nodeId)}`, e);
  s.put("nodes", { ...n, ...patch, updated_block: num(e.blockNumber) }, e.blockNumber);
  return n;
}

function stakeChange(s: BatchStore, e: NodeEvent, kind: string, amount: unknown, stake: unknown, unbonding: unknown) {
  s.put(
    "stake_changes",
    {
      block_number: num(e.blockNumber),
      log_index: e.logIndex,
      tx_hash: e.txHash,
      node_id: num(e.args.nodeId),
      kind,
      amount: num(amount),
      stake: num(stake),
      unbonding: num(unbonding),
      timestamp: e.timestamp,
    },
    e.blockNumber,
  );
}

function nodeRegistered(e: StakingEvent<"NodeRegistered">, s: BatchStore) {
  s.put(
    "nodes",
    {
      node_id: num(e.args.nodeId),
      owner: addr(e.args.owner),
      kind: kindName(e.args.kind),
      active: true,
      tier: 0,
      metadata_uri: String(e.args.metadataURI),
      registered_at: e.timestamp,
      stake: "0",
      unbonding: "0",
      unbonding_release_at: null,
      next_release_at: null,
      locked: false,
      slash_count: 0,
      work_units: "0",
      registered_block: num(e.blockNumber),
      updated_block: num(e.blockNumber),
    },
    e.blockNumber,
  );
}

function withdrawn(e: StakingEvent<"Withdrawn">, s: BatchStore) {
  // Later tranches keep waiting: the latest release time stays until nothing unbonds; the next one
  // comes from the event itself (0 = none pending).
  const left = num(e.args.newUnbonding);
  const next = e.args.nextReleaseAt === 0n ? null : isoSeconds(e.args.nextReleaseAt);
  const n = updateNode(s, e, left === "0" ? { unbonding: left, unbonding_release_at: null, next_release_at: null } : { unbonding: left, next_release_at: next });
  stakeChange(s, e, "withdraw", e.args.amount, n.stake, left);
}

function slashed(e: StakingEvent<"Slashed">, s: BatchStore) {
  const n = must(s.get("nodes", { node_id: num(e.args.nodeId) }), `node ${num(e.args.nodeId)}`, e);
  const left = num(e.args.newUnbonding);
  // A slash that empties unbonding clears the node's tranches on-chain.
  updateNode(s, e, { stake: num(e.args.newStake), unbonding: left, slash_count: Number(n.slash_count) + 1, ...(left === "0" ? { unbonding_release_at: null, next_release_at: null } : {}) });
  stakeChange(s, e, "slash", add(e.args.fromStake, e.args.fromUnbonding), e.args.newStake, e.args.newUnbonding);
  s.put(
    "slashes",
    {
      block_number: num(e.blockNumber),
      log_index: e.logIndex,
      tx_hash: e.txHash,
      node_id: num(e.args.nodeId),
      slasher: addr(e.args.slasher),
      bps: Number(e.args.bps),
      from_stake: num(e.args.fromStake),
      from_unbonding: num(e.args.fromUnbonding),
      evidence_hash: hex(e.args.evidenceHash),
      timestamp: e.timestamp,
    },
    e.blockNumber,
  );
}

function tierChanged(e: StakingEvent<"TierChanged">, s: BatchStore) {
  updateNode(s, e, { tier: Number(e.args.newTier) });
  s.put(
    "tier_changes",
    {
      block_number: num(e.blockNumber),
      log_index: e.logIndex,
      node_id: num(e.args.nodeId),
      old_tier: Number(e.args.oldTier),
      new_tier: Number(e.args.newTier),
      timestamp: e.timestamp,
    },
    e.blockNumber,
  );
}

export const stakingHandlers: ContractHandlers<"Staking"> = {
  NodeRegistered: { keys: nodeKey, apply: nodeRegistered },
  NodeUpdated: { keys: nodeKey, apply: (e, s) => void updateNode(s, e, { kind: kindName(e.args.kind), metadata_uri: String(e.args.metadataURI) }) },
  NodeDeactivated: { keys: nodeKey, apply: (e, s) => void updateNode(s, e, { active: false }) },
  Staked: {
    keys: nodeKey,
    apply(e, s) {
      const n = updateNode(s, e, { stake: num(e.args.newStake) });
      stakeChange(s, e, "stake", e.args.amount, e.args.newStake, n.unbonding);
    },
  },
  UnstakeRequested: {
    keys: nodeKey,
    apply(e, s) {
      // A new tranche is the latest; the next one to release stays the earliest pending.
      const n = must(s.get("nodes", { node_id: num(e.args.nodeId) }), `node ${num(e.args.nodeId)}`, e);
      const releaseAt = isoSeconds(e.args.releaseAt);
      updateNode(s, e, { stake: num(e.args.newStake), unbonding: num(e.args.newUnbonding), unbonding_release_at: releaseAt, next_release_at: n.next_release_at ?? releaseAt });
      stakeChange(s, e, "unstake", e.args.amount, e.args.newStake, e.args.newUnbonding);
    },
  },
  Withdrawn: { keys: nodeKey, apply: withdrawn },
  Slashed: { keys: nodeKey, apply: slashed },
  StakeLockChanged: { keys: nodeKey, apply: (e, s) => void updateNode(s, e, { locked: Boolean(e.args.locked) }) },
  DelegateChanged: {
    keys: (e) => [["governance_delegations", { delegator: addr(e.args.delegator) }]],
    apply(e, s) {
      s.put("governance_delegations", { delegator: addr(e.args.delegator), delegate: addr(e.args.toDelegate), updated_block: num(e.blockNumber) }, e.blockNumber);
    },
  },
  DelegateVotesChanged: {
    keys: (e) => [["governance_votes", { delegate: addr(e.args.delegate) }]],
    apply(e, s) {
      s.put("governance_votes", { delegate: addr(e.args.delegate), votes: num(e.args.newVotes), updated_block: num(e.blockNumber) }, e.blockNumber);
    },
  },
  WorkRecorded: { keys: nodeKey, apply: (e, s) => void updateNode(s, e, { work_units: num(e.args.totalWorkUnits) }) },
  TierChanged: { keys: nodeKey, apply: tierChanged },
};
