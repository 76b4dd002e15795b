import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { describe, expect, it } from "vitest";
import { EPOCH_RULES, canonicalEvidenceJson, computeRewards, credentialLeaf, parseCredentialLeaf, rewardsTree, stakeSeconds, type CredentialLeafInput, type RewardLeaf } from "./rules";

const A = "0x00000000000000000000000000000000000000aa";
const B = "0x00000000000000000000000000000000000000bb";
const cred = (owner: string, nodeId: bigint, workUnits: bigint, role: CredentialLeafInput["role"] = "compute"): CredentialLeafInput => ({
  id: `${owner}-${nodeId}-${workUnits}-${role}`, epoch: 1n, nodeId, owner, jobId: "j", fragmentId: "f", resultHash: `0x${"11".repeat(32)}`, workUnits, role,
});

describe("reward rules", () => {
  it("the split adds up to the whole emission", () => {
    const s = EPOCH_RULES.split;
    expect(s.computeBps + s.stakingBps + s.verifyBps).toBe(10_000);
  });

  it("stake × seconds integrates the stake history inside the window only", () => {
    const points = [
      { nodeId: 1n, at: 50, stake: 10n }, // before the window: the opening stake
      { nodeId: 1n, at: 150, stake: 30n },
      { nodeId: 1n, at: 300, stake: 99n }, // after the window: ignored
      { nodeId: 2n, at: 180, stake: 5n },
    ];
    const s = stakeSeconds(points, 100, 200);
    expect(s.get(1n)).toBe(10n * 50n + 30n * 50n);
    expect(s.get(2n)).toBe(5n * 20n);
    expect(stakeSeconds([{ nodeId: 3n, at: 10, stake: 0n }], 100, 200).has(3n)).toBe(false);
  });

  it("compute is weighted by tier, verification by work, stake by stake-seconds; totals never exceed the pool", () => {
    const pool = 1_000_000n;
    const r = computeRewards({
      pool,
      credentials: [cred(A, 1n, 100n), cred(B, 2n, 100n), cred(B, 2n, 50n, "verify")],
      tiers: new Map([[1n, 1], [2n, 0]]),
      owners: new Map([[1n, A], [2n, B]]),
      stakeSeconds: new Map([[1n, 3n], [2n, 1n]]),
      previous: [[A, "1", "7", "9"]],
    });
    const leaf = (a: string) => r.leaves.find((l) => l[0] === a)!;
    const compute = (pool * 6_000n) / 10_000n, staking = (pool * 3_000n) / 10_000n, verify = (pool * 1_000n) / 10_000n;
    expect(BigInt(leaf(A)[2])).toBe(7n + (compute * 125n) / 225n + (staking * 3n) / 4n);
    expect(BigInt(leaf(B)[2])).toBe((compute * 100n) / 225n + staking / 4n + verify);
    expect(leaf(A)[3]).toBe("109");
    expect(r.total).toBe(BigInt(leaf(A)[2]) + BigInt(leaf(B)[2]) - 7n);
    expect(r.total).toBeLessThanOrEqual(pool);
  });

  it("no work and no stake: only the previous leaves, total 0", () => {
    const previous: RewardLeaf[] = [[A, "1", "5", "0"]];
    const r = computeRewards({ pool: 10n ** 24n, credentials: [], tiers: new Map(), owners: new Map(), stakeSeconds: new Map(), previous });
    expect(r.total).toBe(0n);
    expect(r.leaves).toEqual(previous);
    expect(rewardsTree(r.leaves).root).toBe(StandardMerkleTree.of(previous, ["address", "uint256", "uint256", "uint256"]).root);
  });

  it("credential leaves round-trip and canonical JSON ignores key order", () => {
    const c = cred(A, 1n, 3n, "compute-proof");
    expect(parseCredentialLeaf(credentialLeaf(c))).toEqual(c);
    expect(() => parseCredentialLeaf([...credentialLeaf(c).slice(0, 8), "bogus"])).toThrow(/role/);
    expect(canonicalEvidenceJson({ b: 1, a: { d: 2n, c: [1] } })).toBe(canonicalEvidenceJson({ a: { c: [1], d: 2n }, b: 1 }));
  });
});
