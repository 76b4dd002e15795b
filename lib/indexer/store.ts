import { keyOf, tables, type Row, type TableName } from "./tables";

export type JournalEntry = { block: number; table: TableName; key: Row; prev: Row | null };

/**
 * In-memory view of the derived rows one batch touches. Rows are loaded in bulk before the batch's
 * events are applied (handlers declare their keys up front), changed in memory, then written back in
 * bulk. For blocks ≥ `journalFrom` (not yet final) the first change to a row in each block records
 * the row as it was before that block into the undo journal.
 *
 * Why reverting is exact: derived state after block B is a function of the events up to B. The
 * journal entry (B, row, prev) holds the row's value after block B−1. To revert to an ancestor A we
 * restore, for every row, its earliest journal entry with block > A, i.e. its value after block A,
 * and delete the raw events above A. Rows with no entry above A were not changed above A. So the
 * tables equal those of a run that stopped at A, and re-indexing the new chain from A+1 gives the
 * same tables as a fresh run over the new chain.
 */
export class BatchStore {
  private rows = new Map<TableName, Map<string, Row | null>>();
  private existed = new Map<TableName, Set<string>>();
  private dirty = new Map<TableName, Set<string>>();
  private wanted = new Map<TableName, Map<string, Row>>();
  private journaled = new Set<string>();
  readonly journal: JournalEntry[] = [];

  constructor(readonly journalFrom: number) {}

  /** Phase 1: declare a key a handler will read. */
  want(table: TableName, key: Row): void {
    const def = tables[table];
    if ("appendOnly" in def && def.appendOnly) return;
    let m = this.wanted.get(table);
    if (!m) this.wanted.set(table, (m = new Map()));
    m.set(keyOf(def, key), pick(key, def.key));
  }

  wantedKeys(): [TableName, Row[]][] {
    return [...this.wanted.entries()].map(([t, m]) => [t, [...m.values()]]);
  }

  /** Phase 2: rows loaded from the database (keys absent from `rows` do not exist). */
  loaded(table: TableName, rows: Row[]): void {
    const def = tables[table];
    const m = this.map(table);
    const ex = this.existedSet(table);
    for (const key of this.wanted.get(table)?.values() ?? []) if (!m.has(keyOf(def, key))) m.set(keyOf(def, key), null);
    for (const r of rows) {
      m.set(keyOf(def, r), r);
      ex.add(keyOf(def, r));
    }
  }

  get(table: TableName, key: Row): Row | null {
    const def = tables[table];
    const k = keyOf(def, key);
    const m = this.map(table);
    if (!m.has(k)) {
      if ("appendOnly" in def && def.appendOnly) return null;
      throw new Error(`indexer bug: ${table} ${k} read without being declared by the handler's keys()`);
    }
    const r = m.get(k)!;
    return r && { ...r };
  }

  put(table: TableName, row: Row, block: number): void {
    this.write(table, keyOf(tables[table], row), row, block);
  }

  remove(table: TableName, key: Row, block: number): void {
    this.write(table, keyOf(tables[table], key), null, block);
  }

  private write(table: TableName, k: string, row: Row | null, block: number): void {
    const m = this.map(table);
    if (block >= this.journalFrom) {
      const jk = `${block}|${table}|${k}`;
      if (!this.journaled.has(jk)) {
        this.journaled.add(jk);
        const prev = m.get(k) ?? null;
        this.journal.push({ block, table, key: keyRow(tables[table].key, k), prev: prev && { ...prev } });
      }
    }
    m.set(k, row && { ...row });
    let d = this.dirty.get(table);
    if (!d) this.dirty.set(table, (d = new Set()));
    d.add(k);
  }

  /** Rows to upsert and keys to delete, per table. */
  changes(): { table: TableName; upserts: Row[]; deletes: Row[] }[] {
    const out: { table: TableName; upserts: Row[]; deletes: Row[] }[] = [];
    for (const [table, keys] of this.dirty) {
      const m = this.map(table);
      const ex = this.existedSet(table);
      const def = tables[table];
      const upserts: Row[] = [];
      const deletes: Row[] = [];
      for (const k of keys) {
        const r = m.get(k);
        if (r) upserts.push(r);
        else if (ex.has(k)) deletes.push(keyRow(def.key, k));
      }
      out.push({ table, upserts, deletes });
    }
    return out;
  }

  private map(table: TableName) {
    let m = this.rows.get(table);
    if (!m) this.rows.set(table, (m = new Map()));
    return m;
  }

  private existedSet(table: TableName) {
    let s = this.existed.get(table);
    if (!s) this.existed.set(table, (s = new Set()));
    return s;
  }
}

function pick(row: Row, cols: string[]): Row {
  return Object.fromEntries(cols.map((c) => [c, row[c] ?? null]));
}

function keyRow(cols: string[], k: string): Row {
  const values = JSON.parse(k) as Row[string][];
  return Object.fromEntries(cols.map((c, i) => [c, values[i]]));
}
