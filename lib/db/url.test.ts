import { describe, expect, it } from "vitest";
import { parseDatabaseUrl, withDatabase } from "./url";

describe("parseDatabaseUrl", () => {
  it("takes the pool size from connection_limit and strips it", () => {
    const r = parseDatabaseUrl("postgres://u@h:1/db?sslmode=disable&connection_limit=1", {});
    expect(r.max).toBe(1);
    expect(r.connectionString).toBe("postgres://u@h:1/db?sslmode=disable");
  });
  it("falls back to DATABASE_POOL_MAX, then 10", () => {
    expect(parseDatabaseUrl("postgres://h/db", { DATABASE_POOL_MAX: "4" }).max).toBe(4);
    expect(parseDatabaseUrl("postgres://h/db", {}).max).toBe(10);
  });
  it("rejects a bad pool size", () => {
    expect(() => parseDatabaseUrl("postgres://h/db?connection_limit=0", {})).toThrow(/positive integer/);
  });
  it("swaps the database name", () => {
    expect(withDatabase("postgres://u@h:5432/postgres?x=1", "t1")).toBe("postgres://u@h:5432/t1?x=1");
  });
});
