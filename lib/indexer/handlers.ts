// Event handlers: how each mirrored event changes the derived tables. Each handler declares the
// rows it reads (`keys`) so a batch loads them in one query per table, then `apply` runs in
// (block, log index) order against the in-memory BatchStore.
import type { BatchStore } from "./store";
import type { ContractName } from "@/lib/chain/deployment";
import type { Row, TableName } from "./tables";

export type { ContractName };

export type IndexedEvent = {
  contract: ContractName;
  address: string;
  eventName: string;
  args: Record<string, unknown>;
  blockNumber: number;
  blockHash: string;
  txHash: string;
  logIndex: number;
  timestamp: string;
};

type Handler = {
  keys?: (e: IndexedEvent) => [TableName, Row][];
  apply: (e: IndexedEvent, s: BatchStore) => void;
};

const ZERO = "0x0000000000000000000000000000000000000000";
const NODE_KINDS = ["gpu", "cpu", "edge", "browser"] as const;

const addr = (v: unknown) => String(v).toLowerCase();
const num = (v: unknown) => String(v as bigint | number | string);
const add = (a: unknown, b: unknown) => (BigInt(a as string) + BigInt(b as string)).toString();
const sub = (a: unknown, b: unknown) => (BigInt(a as string) - BigInt(b as string)).toString();
const isoSeconds = (v: unknown) => (BigInt(v as bigint) === 0n ? null : new Date(Number(v) * 1000).toISOString());
const hex = (v: unknown) => String(v).toLowerCase();

function must(row: Row | null, what: string, e: IndexedEvent): Row {
  if (!row) throw new Error(`${e.contract}.${e.eventName} at block ${e.blockNumber} log ${e.logIndex}: unknown ${what}`);
  return row;
}

function balanceKeys(e: IndexedEvent): [TableName, Row][] {
  const token = addr(e.address);
  const from = addr(e.args.from);
  const to = addr(e.args.to);
  const keys: [TableName, Row][] = [];
  if (from !== ZERO) keys.push(["token_balances", { token, account: from }]);
  if (to !== ZERO) keys.push(["token_balances", { token, account: to }]);
  if (from === ZERO || to === ZERO) keys.push(["token_supplies", { token }]);
  return keys;
}

function moveBalance(s: BatchStore, e: IndexedEvent, token: string, account: string, delta: bigint) {
  const cur = s.get("token_balances", { token, account });
  const balance = BigInt((cur?.balance as string) ?? "0") + delta;
  if (balance < 0n) throw new Error(`negative balance for ${account} at block ${e.blockNumber}: the mirror missed a Transfer`);
  s.put("token_balances", { token, account, balance: balance.toString(), updated_block: num(e.blockNumber) }, e.blockNumber);
}

const nodeKey = (e: IndexedEvent): [TableName, Row][] => [["nodes", { node_id: num(e.args.nodeId) }]];
const taskKey = (e: IndexedEvent): [TableName, Row][] => [["tasks", { task_id: num(e.args.taskId) }]];
const epochKey = (e: IndexedEvent): [TableName, Row][] => [["epochs", { epoch: num(e.args.epoch) }]];

function updateNode(s: BatchStore, e: IndexedEvent, patch: Row) {
  const n = must(s.get("nodes", { node_id: num(e.args.nodeId) }), `node ${num(e.args.nodeId)}`, e);
  s.put("nodes", { ...n, ...patch, updated_block: num(e.blockNumber) }, e.blockNumber);
  return n;
}

function stakeChange(s: BatchStore, e: IndexedEvent, kind: string, amount: unknown, stake: unknown, unbonding: unknown) {
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

function updateTask(s: BatchStore, e: IndexedEvent, patch: (t: Row) => Row) {
  const t = must(s.get("tasks", { task_id: num(e.args.taskId) }), `task ${num(e.args.taskId)}`, e);
  s.put("tasks", { ...t, ...patch(t), updated_block: num(e.blockNumber) }, e.blockNumber);
}

function payout(s: BatchStore, e: IndexedEvent, recipient: unknown, kind: "fee" | "refund") {
  s.put(
    "task_payouts",
    {
      block_number: num(e.blockNumber),
      log_index: e.logIndex,
      tx_hash: e.txHash,
      task_id: num(e.args.taskId),
      recipient: addr(recipient),
      amount: num(e.args.amount),
      kind,
      timestamp: e.timestamp,
    },
    e.blockNumber,
  );
}

function updateEpoch(s: BatchStore, e: IndexedEvent, patch: (ep: Row) => Row) {
  const ep = must(s.get("epochs", { epoch: num(e.args.epoch) }), `epoch ${num(e.args.epoch)}`, e);
  s.put("epochs", { ...ep, ...patch(ep), updated_block: num(e.blockNumber) }, e.blockNumber);
}

export const handlers: Record<ContractName, Record<string, Handler>> = {
  CXTToken: {
    Transfer: {
      keys: balanceKeys,
      apply(e, s) {
        const token = addr(e.address);
        const from = addr(e.args.from);
        const to = addr(e.args.to);
        const value = BigInt(e.args.value as bigint);
        if (from !== ZERO) moveBalance(s, e, token, from, -value);
        if (to !== ZERO) moveBalance(s, e, token, to, value);
        if (from === ZERO || to === ZERO) {
          const cur = s.get("token_supplies", { token }) ?? { token, total_supply: "0", minted: "0", burned: "0" };
          s.put(
            "token_supplies",
            {
              ...cur,
              total_supply: (BigInt(cur.total_supply as string) + (from === ZERO ? value : 0n) - (to === ZERO ? value : 0n)).toString(),
              minted: from === ZERO ? add(cur.minted, value) : cur.minted,
              burned: to === ZERO ? add(cur.burned, value) : cur.burned,
              updated_block: num(e.blockNumber),
            },
            e.blockNumber,
          );
        }
      },
    },
  },
  Staking: {
    NodeRegistered: {
      keys: nodeKey,
      apply(e, s) {
        s.put(
          "nodes",
          {
            node_id: num(e.args.nodeId),
            owner: addr(e.args.owner),
            kind: NODE_KINDS[Number(e.args.kind)] ?? String(e.args.kind),
            active: true,
            tier: 0,
            metadata_uri: String(e.args.metadataURI),
            registered_at: e.timestamp,
            stake: "0",
            unbonding: "0",
            unbonding_release_at: null,
            locked: false,
            slash_count: 0,
            work_units: "0",
            registered_block: num(e.blockNumber),
            updated_block: num(e.blockNumber),
          },
          e.blockNumber,
        );
      },
    },
    NodeUpdated: {
      keys: nodeKey,
      apply: (e, s) => void updateNode(s, e, { kind: NODE_KINDS[Number(e.args.kind)] ?? String(e.args.kind), metadata_uri: String(e.args.metadataURI) }),
    },
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
        updateNode(s, e, { stake: num(e.args.newStake), unbonding: num(e.args.newUnbonding), unbonding_release_at: isoSeconds(e.args.releaseAt) });
        stakeChange(s, e, "unstake", e.args.amount, e.args.newStake, e.args.newUnbonding);
      },
    },
    Withdrawn: {
      keys: nodeKey,
      apply(e, s) {
        // Later tranches keep waiting: the latest release time stays until nothing unbonds.
        const left = num(e.args.newUnbonding);
        const n = updateNode(s, e, left === "0" ? { unbonding: left, unbonding_release_at: null } : { unbonding: left });
        stakeChange(s, e, "withdraw", e.args.amount, n.stake, left);
      },
    },
    Slashed: {
      keys: nodeKey,
      apply(e, s) {
        const n = must(s.get("nodes", { node_id: num(e.args.nodeId) }), `node ${num(e.args.nodeId)}`, e);
        const left = num(e.args.newUnbonding);
        // A slash that empties unbonding clears the node's tranches on-chain.
        updateNode(s, e, { stake: num(e.args.newStake), unbonding: left, slash_count: Number(n.slash_count) + 1, ...(left === "0" ? { unbonding_release_at: null } : {}) });
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
      },
    },
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
    TierChanged: {
      keys: nodeKey,
      apply(e, s) {
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
      },
    },
  },
  TaskManager: {
    TaskCreated: {
      keys: taskKey,
      apply(e, s) {
        s.put(
          "tasks",
          {
            task_id: num(e.args.taskId),
            creator: addr(e.args.creator),
            spec_hash: hex(e.args.specHash),
            fragment_count: Number(e.args.fragmentCount),
            fee: num(e.args.fee),
            min_tier: Number(e.args.minTier),
            status: "open",
            paid: "0",
            refunded: "0",
            result_hash: null,
            cancel_reclaimable_at: null,
            created_at: e.timestamp,
            created_block: num(e.blockNumber),
            created_tx: e.txHash,
            updated_block: num(e.blockNumber),
          },
          e.blockNumber,
        );
      },
    },
    FeePaid: {
      keys: taskKey,
      apply(e, s) {
        updateTask(s, e, (t) => ({ paid: add(t.paid, e.args.amount) }));
        payout(s, e, e.args.recipient, "fee");
      },
    },
    FeeRefunded: {
      keys: taskKey,
      apply(e, s) {
        updateTask(s, e, (t) => ({ refunded: add(t.refunded, e.args.amount) }));
        payout(s, e, e.args.creator, "refund");
      },
    },
    TaskCompleted: {
      keys: taskKey,
      apply: (e, s) => updateTask(s, e, () => ({ status: "completed", result_hash: hex(e.args.resultHash), paid: num(e.args.totalPaid) })),
    },
    CancelRequested: {
      keys: taskKey,
      apply: (e, s) => updateTask(s, e, () => ({ cancel_reclaimable_at: isoSeconds(e.args.reclaimableAt) })),
    },
    TaskCancelled: {
      keys: taskKey,
      apply: (e, s) => updateTask(s, e, () => ({ status: "cancelled", paid: num(e.args.totalPaid) })),
    },
  },
  ContributionLedger: {
    EpochPosted: {
      keys: (e) => [
        ["epochs", { epoch: num(e.args.epoch) }],
        ["epochs", { epoch: sub(e.args.epoch, 1) }],
      ],
      apply(e, s) {
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
      },
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
      apply(e, s) {
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
      },
    },
  },
  TimelockController: {},
  CorexGovernor: {
    ProposalCreated: {
      keys: proposalKey,
      apply(e, s) {
        const targets = e.args.targets as string[];
        const values = e.args.values as bigint[];
        const signatures = e.args.signatures as string[];
        const calldatas = e.args.calldatas as string[];
        const actions = targets.map((t, i) => ({ target: addr(t), value: num(values[i]), signature: signatures[i], calldata: hex(calldatas[i]) }));
        s.put(
          "proposals",
          {
            proposal_id: num(e.args.proposalId),
            proposer: addr(e.args.proposer),
            actions: JSON.stringify(actions),
            description: String(e.args.description),
            vote_start: num(e.args.voteStart),
            vote_end: num(e.args.voteEnd),
            status: "created",
            for_votes: "0",
            against_votes: "0",
            abstain_votes: "0",
            vote_count: 0,
            eta: null,
            created_at: e.timestamp,
            created_block: num(e.blockNumber),
            created_tx: e.txHash,
            updated_block: num(e.blockNumber),
          },
          e.blockNumber,
        );
      },
    },
    VoteCast: { keys: proposalKey, apply: (e, s) => vote(s, e) },
    VoteCastWithParams: { keys: proposalKey, apply: (e, s) => vote(s, e) },
    ProposalQueued: { keys: proposalKey, apply: (e, s) => updateProposal(s, e, { status: "queued", eta: isoSeconds(e.args.etaSeconds) }) },
    ProposalExecuted: { keys: proposalKey, apply: (e, s) => updateProposal(s, e, { status: "executed" }) },
    ProposalCanceled: { keys: proposalKey, apply: (e, s) => updateProposal(s, e, { status: "canceled" }) },
  },
};

function proposalKey(e: IndexedEvent): [TableName, Row][] {
  return [["proposals", { proposal_id: num(e.args.proposalId) }]];
}

function updateProposal(s: BatchStore, e: IndexedEvent, patch: Row) {
  const p = must(s.get("proposals", { proposal_id: num(e.args.proposalId) }), `proposal ${num(e.args.proposalId)}`, e);
  s.put("proposals", { ...p, ...patch, updated_block: num(e.blockNumber) }, e.blockNumber);
  return p;
}

const SUPPORT_COLUMN = ["against_votes", "for_votes", "abstain_votes"] as const;

function vote(s: BatchStore, e: IndexedEvent) {
  const support = Number(e.args.support);
  const p = must(s.get("proposals", { proposal_id: num(e.args.proposalId) }), `proposal ${num(e.args.proposalId)}`, e);
  const column = SUPPORT_COLUMN[support];
  updateProposal(s, e, { [column]: add(p[column], e.args.weight), vote_count: Number(p.vote_count) + 1 });
  s.put(
    "proposal_votes",
    {
      block_number: num(e.blockNumber),
      log_index: e.logIndex,
      tx_hash: e.txHash,
      proposal_id: num(e.args.proposalId),
      voter: addr(e.args.voter),
      support,
      weight: num(e.args.weight),
      reason: String(e.args.reason),
      timestamp: e.timestamp,
    },
    e.blockNumber,
  );
}
