import { describe, expect, it } from "vitest";
import { canonicalSpecJson } from "./spec";

// The branches of the canonical form (lib/jobs/work.test.ts pins a whole spec and its hash).
describe("canonicalSpecJson", () => {
  it("writes scalars as JSON.stringify does", () => {
    expect([null, true, false, "a\"b", 0, -1.5, 1e21].map((v) => canonicalSpecJson(v))).toEqual(["null", "true", "false", '"a\\"b"', "0", "-1.5", "1e+21"]);
  });
  it("writes empty and nested containers without whitespace, dropping undefined members", () => {
    expect(canonicalSpecJson([])).toBe("[]");
    expect(canonicalSpecJson({})).toBe("{}");
    expect(canonicalSpecJson([[1, 2], { b: false }, "x"])).toBe('[[1,2],{"b":false},"x"]');
    expect(canonicalSpecJson({ b: undefined, a: 1 } as never)).toBe('{"a":1}');
    expect(canonicalSpecJson({ "a\"": { B: 1, a: 2 } })).toBe('{"a\\"":{"B":1,"a":2}}');
  });
  it("refuses NaN and ±Infinity anywhere", () => {
    for (const bad of [Number.NaN, Infinity, -Infinity, [1, Infinity], { a: { b: -Infinity } }]) {
      expect(() => canonicalSpecJson(bad as never)).toThrow(/^canonical JSON has no NaN or Infinity$/);
    }
  });
});
