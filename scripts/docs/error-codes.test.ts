import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { errorCodes } from "@/lib/api";

describe("docs/reference/error-codes.md", () => {
  it("has one row for every code of lib/api/errors.ts, and none other (add a row when you add a code)", () => {
    const text = readFileSync(path.join(process.cwd(), "docs", "reference", "error-codes.md"), "utf8");
    const rows = [...text.matchAll(/^\| `([a-z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect([...rows].sort()).toEqual([...errorCodes].sort());
  });
});
