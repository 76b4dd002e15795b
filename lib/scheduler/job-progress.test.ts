import { describe, expect, it } from "vitest";
import { fragmentState } from "./job-progress";

const base = { accepted: false, refereed: false, rejected: 0, leased: 0, pending: 0 };

describe("fragmentState (the job page's fragments by state)", () => {
  it("is open with nothing in flight", () => expect(fragmentState(base)).toBe("open"));
  it("is leased while a replica is computed, even with another replica's result in", () => {
    expect(fragmentState({ ...base, leased: 1 })).toBe("leased");
    expect(fragmentState({ ...base, leased: 1, pending: 1 })).toBe("leased");
  });
  it("is submitted when results wait for verification or the rest of the quorum", () => expect(fragmentState({ ...base, pending: 2 })).toBe("submitted"));
  it("is disputed once a replica was rejected or the referee ran, until accepted", () => {
    expect(fragmentState({ ...base, rejected: 1, leased: 1 })).toBe("disputed");
    expect(fragmentState({ ...base, refereed: true, pending: 1 })).toBe("disputed");
  });
  it("is accepted whatever else happened", () => expect(fragmentState({ accepted: true, refereed: true, rejected: 1, leased: 1, pending: 1 })).toBe("accepted"));
});
