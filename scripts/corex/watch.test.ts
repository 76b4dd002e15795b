import { describe, expect, it } from "vitest";
import type { Proof } from "@/lib/protocol";
import { roundViews } from "./watch";

type R = Proof["rounds"][number];
const frag = (status: string, losses: number[]) => ({ status, results: losses.map((loss) => ({ loss })) }) as unknown as R["fragments"][number];
const round = (r: Partial<R> & { fragments: R["fragments"] }) => ({ round: 0, status: "open", trainLoss: null, heldOutLoss: null, heldOutAccuracy: null, ...r }) as R;

describe("corex jobs watch: a round's progress and loss", () => {
  it("an open round: fragments accepted of its shards, and the mean loss submitted so far", () => {
    expect(roundViews({ rounds: [round({ fragments: [frag("accepted", [1]), frag("leased", [2, 3]), frag("open", [])] })] })).toEqual([
      { round: 0, status: "open", done: 1, total: 3, loss: 2, heldOutLoss: null, heldOutAccuracy: null },
    ]);
  });

  it("an aggregated round: all its fragments, its train loss and held-out figures", () => {
    const v = roundViews({ rounds: [round({ round: 1, status: "aggregated", trainLoss: 0.5, heldOutLoss: 0.6, heldOutAccuracy: 0.9, fragments: [frag("accepted", [9]), frag("rejected", [])] })] });
    expect(v).toEqual([{ round: 1, status: "aggregated", done: 2, total: 2, loss: 0.5, heldOutLoss: 0.6, heldOutAccuracy: 0.9 }]);
  });

  it("no loss before any result", () => {
    expect(roundViews({ rounds: [round({ fragments: [frag("open", [])] })] })[0]!.loss).toBeNull();
  });
});
