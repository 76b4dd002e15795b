import { describe, expect, it } from "vitest";
import { cx } from "./cx";

describe("cx", () => {
  it("joins the classes that are set with single spaces", () => {
    expect(cx("a b", false, undefined, null, "", "c")).toBe("a b c");
    expect(cx()).toBe("");
  });
});
