// Derived tables the indexer maintains, described once so that generic code can load, upsert,
// delete and restore their rows in bulk. Rows in memory use the SQL column names; every value is
// JSON-safe (uint256 / bigint as decimal strings, timestamps as ISO strings) so rows can travel as
// one jsonb parameter per statement and be stored verbatim in the undo journal.

export type ColumnType = "int" | "bigint" | "numeric" | "text" | "bool" | "timestamptz";
export type Row = Record<string, string | number | boolean | null>;

export type TableDef = {
  name: string;
  /** Key columns (chain_id is implicit and always first). */
  key: string[];
  columns: Record<string, ColumnType>;
  /** Rows are only ever inserted (history); the batch never needs to read them first. */
  appendOnly?: boolean;
};

const t = (def: TableDef) => def;

export const tables = {
  token_balances: t({
    name: "token_balances",
    key: ["token", "account"],
    columns: { token: "text", account: "text", balance: "numeric", updated_block: "bigint" },
  }),
  token_supplies: t({
    name: "token_supplies",
    key: ["token"],
    columns: { token: "text", total_supply: "numeric", minted: "numeric", burned: "numeric", updated_block: "bigint" },
  }),
  nodes: t({
    name: "nodes",
    key: ["node_id"],
    columns: {
      node_id: "bigint",
      owner: "text",
      kind: "text",
      active: "bool",
      tier: "int",
      metadata_uri: "text",
      registered_at: "timestamptz",
      stake: "numeric",
      unbonding: "numeric",
      unbonding_release_at: "timestamptz",
      next_release_at: "timestamptz",
      locked: "bool",
      slash_count: "int",
      work_units: "numeric",
      registered_block: "bigint",
      updated_block: "bigint",
    },
  }),
  stake_changes: t({
    name: "stake_changes",
    key: ["block_number", "log_index"],
    appendOnly: true,
    columns: {
      block_number: "bigint",
      log_index: "int",
      tx_hash: "text",
      node_id: "bigint",
      kind: "text",
      amount: "numeric",
      stake: "numeric",
      unbonding: "numeric",
      timestamp: "timestamptz",
    },
  }),
  tier_changes: t({
    name: "tier_changes",
    key: ["block_number", "log_index"],
    appendOnly: true,
    columns: { block_number: "bigint", log_index: "int", node_id: "bigint", old_tier: "int", new_tier: "int", timestamp: "timestamptz" },
  }),
  slashes: t({
    name: "slashes",
    key: ["block_number", "log_index"],
    appendOnly: true,
    columns: {
      block_number: "bigint",
      log_index: "int",
      tx_hash: "text",
      node_id: "bigint",
      slasher: "text",
      bps: "int",
      from_stake: "numeric",
      from_unbonding: "numeric",
      evidence_hash: "text",
      timestamp: "timestamptz",
    },
  }),
  tasks: t({
    name: "tasks",
    key: ["task_id"],
    columns: {
      task_id: "bigint",
      creator: "text",
      spec_hash: "text",
      fragment_count: "int",
      fee: "numeric",
      min_tier: "int",
      status: "text",
      paid: "numeric",
      refunded: "numeric",
      result_hash: "text",
      cancel_reclaimable_at: "timestamptz",
      provider: "text",
      provider_fee_bps: "int",
      closed_at: "timestamptz",
      created_at: "timestamptz",
      created_block: "bigint",
      created_tx: "text",
      updated_block: "bigint",
    },
  }),
  task_payouts: t({
    name: "task_payouts",
    key: ["block_number", "log_index"],
    appendOnly: true,
    columns: {
      block_number: "bigint",
      log_index: "int",
      tx_hash: "text",
      task_id: "bigint",
      recipient: "text",
      amount: "numeric",
      kind: "text",
      epoch: "bigint",
      cumulative: "numeric",
      timestamp: "timestamptz",
    },
  }),
  epochs: t({
    name: "epochs",
    key: ["epoch"],
    columns: {
      epoch: "bigint",
      credentials_root: "text",
      rewards_root: "text",
      total: "numeric",
      allowance_through: "numeric",
      work_units: "numeric",
      credential_count: "int",
      posted_at: "timestamptz",
      dispute_deadline: "timestamptz",
      status: "text",
      open_disputes: "int",
      disputer: "text",
      dispute_node_id: "bigint",
      dispute_reason_hash: "text",
      dispute_bond: "numeric",
      claimed_amount: "numeric",
      claim_count: "int",
      posted_block: "bigint",
      posted_tx: "text",
      updated_block: "bigint",
    },
  }),
  claims: t({
    name: "claims",
    key: ["block_number", "log_index"],
    appendOnly: true,
    columns: {
      block_number: "bigint",
      log_index: "int",
      tx_hash: "text",
      epoch: "bigint",
      account: "text",
      node_id: "bigint",
      amount: "numeric",
      cumulative_amount: "numeric",
      work_units: "numeric",
      cumulative_work_units: "numeric",
      timestamp: "timestamptz",
    },
  }),
  claim_totals: t({
    name: "claim_totals",
    key: ["account", "node_id"],
    columns: { account: "text", node_id: "bigint", amount: "numeric", work_units: "numeric", updated_block: "bigint" },
  }),
  governance_votes: t({
    name: "governance_votes",
    key: ["delegate"],
    columns: { delegate: "text", votes: "numeric", updated_block: "bigint" },
  }),
  governance_delegations: t({
    name: "governance_delegations",
    key: ["delegator"],
    columns: { delegator: "text", delegate: "text", updated_block: "bigint" },
  }),
  proposals: t({
    name: "proposals",
    key: ["proposal_id"],
    columns: {
      proposal_id: "numeric",
      proposer: "text",
      actions: "text",
      description: "text",
      vote_start: "bigint",
      vote_end: "bigint",
      status: "text",
      for_votes: "numeric",
      against_votes: "numeric",
      abstain_votes: "numeric",
      vote_count: "int",
      eta: "timestamptz",
      created_at: "timestamptz",
      created_block: "bigint",
      created_tx: "text",
      updated_block: "bigint",
    },
  }),
  proposal_votes: t({
    name: "proposal_votes",
    key: ["block_number", "log_index"],
    appendOnly: true,
    columns: {
      block_number: "bigint",
      log_index: "int",
      tx_hash: "text",
      proposal_id: "numeric",
      voter: "text",
      support: "int",
      weight: "numeric",
      reason: "text",
      timestamp: "timestamptz",
    },
  }),
} satisfies Record<string, TableDef>;

export type TableName = keyof typeof tables;
export const tableNames = Object.keys(tables) as TableName[];

const SQL_TYPE: Record<ColumnType, string> = {
  int: "int",
  bigint: "bigint",
  numeric: "numeric",
  text: "text",
  bool: "boolean",
  timestamptz: "timestamptz",
};

const q = (id: string) => `"${id}"`;

export function recordsetDef(def: TableDef, cols: string[]): string {
  return cols.map((c) => `${q(c)} ${SQL_TYPE[def.columns[c]]}`).join(", ");
}

/** Columns as they come back to JS: numbers as text so no precision is lost; timestamps as ISO. */
export function selectList(def: TableDef): string {
  return Object.entries(def.columns)
    .map(([c, type]) => {
      if (type === "numeric" || type === "bigint") return `${q(c)}::text AS ${q(c)}`;
      if (type === "timestamptz") return `to_char(${q(c)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${q(c)}`;
      return q(c);
    })
    .join(", ");
}

export function keyOf(def: TableDef, row: Row): string {
  return JSON.stringify(def.key.map((k) => row[k]));
}

export function loadSql(def: TableDef): string {
  const keys = def.key.map(q).join(", ");
  return `SELECT ${selectList(def)} FROM ${q(def.name)} WHERE chain_id = $1 AND (${keys}) IN (SELECT ${keys} FROM jsonb_to_recordset($2::jsonb) AS x(${recordsetDef(def, def.key)}))`;
}

export function upsertSql(def: TableDef): string {
  const cols = Object.keys(def.columns);
  const nonKey = cols.filter((c) => !def.key.includes(c));
  const list = cols.map(q).join(", ");
  return (
    `INSERT INTO ${q(def.name)} (chain_id, ${list}) SELECT $1, ${list} FROM jsonb_to_recordset($2::jsonb) AS x(${recordsetDef(def, cols)}) ` +
    `ON CONFLICT (chain_id, ${def.key.map(q).join(", ")}) DO ` +
    (nonKey.length ? `UPDATE SET ${nonKey.map((c) => `${q(c)} = EXCLUDED.${q(c)}`).join(", ")}` : "NOTHING")
  );
}

export function deleteSql(def: TableDef): string {
  const keys = def.key.map(q).join(", ");
  return `DELETE FROM ${q(def.name)} WHERE chain_id = $1 AND (${keys}) IN (SELECT ${keys} FROM jsonb_to_recordset($2::jsonb) AS x(${recordsetDef(def, def.key)}))`;
}
