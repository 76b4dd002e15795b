import { describe, expect, it } from "vitest";
import { proposalPhase } from "./governance";

describe("proposalPhase", () => {
  const p = { status: "created", voteStart: 10n, voteEnd: 30n };
  it("follows the block clock through the vote window like Governor.state", () => {
    expect(proposalPhase(p, 10n)).toBe("pending");
    expect(proposalPhase(p, 11n)).toBe("active");
    expect(proposalPhase(p, 30n)).toBe("active");
    expect(proposalPhase(p, 31n)).toBe("ended");
  });
  it("keeps a recorded queue, execution or cancel whatever the clock", () => {
    expect(proposalPhase({ ...p, status: "queued" }, 5n)).toBe("queued");
    expect(proposalPhase({ ...p, status: "executed" }, 50n)).toBe("executed");
  });
});
