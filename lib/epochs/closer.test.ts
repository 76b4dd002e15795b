import { describe, expect, it } from "vitest";
import { TxRevertedError } from "@/lib/chain/tx-sender";
import { keepClaimAfter } from "./closer";

describe("keepClaimAfter (a failed postEpoch)", () => {
  const hash = `0x${"ab".repeat(32)}` as const;
  it("drops the claim when nothing went out (refused in simulation, the RPC down before sending)", () => {
    expect(keepClaimAfter(new Error("execution reverted"), false)).toBe(false);
  });
  it("drops it when the post was mined and reverted: it is on the chain and changed nothing", () => {
    expect(keepClaimAfter(new TxRevertedError("postEpoch", hash), true)).toBe(false);
  });
  it("keeps it when the post went out and its receipt was lost: it may still land", () => {
    expect(keepClaimAfter(new Error("connection reset"), true)).toBe(true);
  });
});
