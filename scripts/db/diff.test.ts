import { describe, expect, it } from "vitest";
import { diffScript } from "./diff";

describe("diffScript", () => {
  it("reads the engine's empty migration as no drift and keeps any other script", () => {
    expect(diffScript({ exitCode: 0, stdout: "-- This is an empty migration.\n" })).toBe("");
    expect(diffScript({ exitCode: 0, stdout: 'ALTER TABLE "t" ADD COLUMN "c" INTEGER;\n' })).toBe('ALTER TABLE "t" ADD COLUMN "c" INTEGER;');
  });

  it("fails on a missing script instead of reporting no drift", () => {
    expect(() => diffScript({ exitCode: 0, stdout: null })).toThrow(/no diff script/);
  });
});
