import { describe, expect, it } from "vitest";
import { canonicalEvidenceJson } from "./rules";
import { evidenceHashOf, faultRecord } from "./slashing";

describe("slash evidence hash", () => {
  it("is pinned: Staking.slash commits it on-chain, so the canonical form must never drift", () => {
    const fault = { id: "f-1", nodeId: 7n, evidence: { rounds: { "10": "0xab", "9": "0xcd" }, reason: "mismatch", at: 12 } };
    // Integer-like keys in numeric order ("9" before "10"), unlike the job spec's JCS form.
    expect(canonicalEvidenceJson(faultRecord(fault))).toBe('{"evidence":{"at":12,"reason":"mismatch","rounds":{"9":"0xcd","10":"0xab"}},"id":"f-1","nodeId":"7"}');
    expect(evidenceHashOf(fault)).toBe("0x4880b5809c0bc65f43890e996ec9cb68459133be9af704b2e6405d8798b7f4b9");
    expect(evidenceHashOf({ ...fault, nodeId: "7" })).toBe(evidenceHashOf(fault));
  });
});
