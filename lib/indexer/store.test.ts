import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BatchStore, type JournalEntry } from "./store";
import { keyOf, tables, type Row } from "./tables";

/** A toy database of one table, with the journal revert the indexer does in SQL. */
function apply(db: Map<string, Row>, s: BatchStore) {
  for (const c of s.changes()) {
    for (const d of c.deletes) db.delete(keyOf(tables[c.table], d));
    for (const u of c.upserts) db.set(keyOf(tables[c.table], u), u);
  }
}
function revert(db: Map<string, Row>, journal: JournalEntry[], ancestor: number) {
  const seen = new Set<string>();
  for (const j of [...journal].sort((a, b) => a.block - b.block)) {
    if (j.block <= ancestor) continue;
    const k = keyOf(tables[j.table], j.key);
    if (seen.has(k)) continue;
    seen.add(k);
    if (j.prev) db.set(k, j.prev);
    else db.delete(k);
  }
}

describe("BatchStore undo journal", () => {
  it("reverting to any ancestor gives exactly the state after that block", () => {
    const op = fc.record({ account: fc.constantFrom("a", "b", "c"), delta: fc.integer({ min: -5, max: 9 }), del: fc.boolean() });
    fc.assert(
      fc.property(fc.array(fc.array(op, { maxLength: 4 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 2, max: 5 }), (blocks, batchSize) => {
        const db = new Map<string, Row>();
        const journal: JournalEntry[] = [];
        const states: Map<string, Row>[] = [new Map()];
        for (let b0 = 0; b0 < blocks.length; b0 += batchSize) {
          const s = new BatchStore(0);
          for (const ops of blocks.slice(b0, b0 + batchSize)) for (const o of ops) s.want("token_balances", { token: "t", account: o.account });
          s.loaded("token_balances", [...db.values()].filter((r) => s.wantedKeys()[0]?.[1].some((k) => k.account === r.account)));
          blocks.slice(b0, b0 + batchSize).forEach((ops, i) => {
            const block = b0 + i + 1;
            for (const o of ops) {
              const cur = s.get("token_balances", { token: "t", account: o.account });
              if (o.del) s.remove("token_balances", { token: "t", account: o.account }, block);
              else s.put("token_balances", { token: "t", account: o.account, balance: String(Number(cur?.balance ?? 0) + o.delta), updated_block: String(block) }, block);
            }
            // expected state after this block, replaying from the previous one
            const prev = new Map(states.at(-1)!);
            for (const o of ops) {
              const k = keyOf(tables.token_balances, { token: "t", account: o.account });
              if (o.del) prev.delete(k);
              else prev.set(k, { token: "t", account: o.account, balance: String(Number(prev.get(k)?.balance ?? 0) + o.delta), updated_block: String(block) });
            }
            states.push(prev);
          });
          apply(db, s);
          journal.push(...s.journal);
        }
        expect(db).toEqual(states.at(-1));
        for (let a = 0; a <= blocks.length; a++) {
          const copy = new Map(db);
          revert(copy, journal, a);
          expect(copy).toEqual(states[a]);
        }
      }),
    );
  });
  it("journals nothing for final blocks and refuses undeclared reads", () => {
    const s = new BatchStore(100);
    s.want("nodes", { node_id: "1" });
    s.loaded("nodes", []);
    s.put("nodes", { node_id: "1" }, 99);
    expect(s.journal).toEqual([]);
    s.put("nodes", { node_id: "1", x: 1 }, 100);
    expect(s.journal).toEqual([{ block: 100, table: "nodes", key: { node_id: "1" }, prev: { node_id: "1" } }]);
    expect(() => s.get("nodes", { node_id: "2" })).toThrow(/without being declared/);
  });
});
