import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { describe, expect, it } from "vitest";
import { COMPUTE_PROOF_WORK_UNITS, EPOCH_RULES, canonicalEvidenceJson, computeRewards, creditedWorkUnits, credentialLeaf, parseCredentialLeaf, rewardsTree, stakeSeconds, type CredentialLeafInput, type RewardLeaf } from "./rules";

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

  it("Compute-PoC: one pass per node and epoch earns (the lowest id, in any order), at most the fixed weight", () => {
    const proof = (nodeId: bigint, workUnits: bigint, id: string): CredentialLeafInput => ({ ...cred(A, nodeId, workUnits, "compute-proof"), id });
    const creds = [proof(1n, 5n * 10n ** 8n, "p2"), cred(A, 1n, 7n), proof(1n, 9n, "p1"), proof(2n, 10n ** 9n, "p3"), proof(1n, 10n ** 9n, "p0")];
    expect(creditedWorkUnits(creds)).toEqual([0n, 7n, 0n, COMPUTE_PROOF_WORK_UNITS, COMPUTE_PROOF_WORK_UNITS]);
    expect(creditedWorkUnits([...creds].reverse())).toEqual([COMPUTE_PROOF_WORK_UNITS, COMPUTE_PROOF_WORK_UNITS, 0n, 7n, 0n]);
    expect(creditedWorkUnits([proof(3n, 8192n, "small")])).toEqual([8192n]); // never more than the credential says
    expect(COMPUTE_PROOF_WORK_UNITS).toBe(100_000n);
  });

  it("Compute-PoC passes alone in an epoch take at most maxComputeBps of the compute bucket; with real work, their weight", () => {
    const pool = 10n ** 24n;
    const bucket = (pool * 6_000n) / 10_000n;
    const proof = (owner: string, nodeId: bigint) => ({ ...cred(owner, nodeId, 2n * 512n ** 3n, "compute-proof"), id: `p${nodeId}` });
    const alone = computeRewards({ pool, credentials: [proof(A, 1n), proof(B, 2n)], tiers: new Map(), owners: new Map(), stakeSeconds: new Map(), previous: [] });
    expect(alone.total).toBe((bucket * 100n) / 10_000n); // 1 % of the bucket for all passes; the rest is not minted
    expect(alone.leaves.map((l) => l[2])).toEqual([String((bucket * 100n) / 10_000n / 2n), String((bucket * 100n) / 10_000n / 2n)]);
    expect(alone.workUnits).toBe(2n * COMPUTE_PROOF_WORK_UNITS);
    // Beside real work a pass weighs its fixed work units, like a fragment of that size.
    const work = 10n ** 9n;
    const mixed = computeRewards({ pool, credentials: [proof(A, 1n), cred(B, 2n, work)], tiers: new Map(), owners: new Map(), stakeSeconds: new Map(), previous: [] });
    const proofShare = (bucket * COMPUTE_PROOF_WORK_UNITS) / (work + COMPUTE_PROOF_WORK_UNITS);
    expect(mixed.leaves.find((l) => l[0] === A)![2]).toBe(String(proofShare));
    expect(mixed.leaves.find((l) => l[0] === B)![2]).toBe(String(bucket - proofShare));
  });

  it("real work that weighs exactly what the passes weigh still shares the compute bucket; zero weights split nothing and do not divide by zero", () => {
    const pool = 10n ** 24n;
    const bucket = (pool * 6_000n) / 10_000n;
    const proof = { ...cred(A, 1n, 2n * 512n ** 3n, "compute-proof"), id: "p1" };
    const even = computeRewards({ pool, credentials: [proof, cred(B, 2n, COMPUTE_PROOF_WORK_UNITS)], tiers: new Map(), owners: new Map(), stakeSeconds: new Map(), previous: [] });
    // proportional = bucket / 2 is over the 1 % cap: the passes get the cap, the real work the rest
    const cap = (bucket * 100n) / 10_000n;
    expect(even.leaves.find((l) => l[0] === A)![2]).toBe(String(cap));
    expect(even.leaves.find((l) => l[0] === B)![2]).toBe(String(bucket - cap));
    const zero = computeRewards({ pool, credentials: [cred(A, 1n, 0n, "verify")], tiers: new Map(), owners: new Map([[1n, A]]), stakeSeconds: new Map([[1n, 0n]]), previous: [] });
    expect(zero.total).toBe(0n);
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
  // Cases mutation testing found unpinned (docs/development/tests.md → Mutation testing).
  it("leaves sorted by account then node; work units summed per leaf and in total; zero work and ownerless stake pay nothing and do not throw", () => {
    const r = computeRewards({
      pool: 1_000_000n,
      credentials: [cred(B, 1n, 5n), cred(A, 12n, 7n), cred(A, 3n, 2n), cred(A, 3n, 4n, "verify"), cred(B, 4n, 0n)],
      tiers: new Map(), owners: new Map([[3n, A]]),
      stakeSeconds: new Map([[3n, 10n], [99n, 50n]]), // node 99 has no known owner: its stake earns nothing
      previous: [],
    });
    expect(r.leaves.map((l) => [l[0], l[1], l[3]])).toEqual([[A, "3", "6"], [A, "12", "7"], [B, "1", "5"], [B, "4", "0"]]);
    expect(r.workUnits).toBe(18n);
    expect(r.leaves.find((l) => l[1] === "4")![2]).toBe("0");
    const zero = computeRewards({ pool: 1_000n, credentials: [cred(A, 1n, 0n)], tiers: new Map(), owners: new Map(), stakeSeconds: new Map(), previous: [] });
    expect(zero.total).toBe(0n);
    expect(zero.leaves).toEqual([[A, "1", "0", "0"]]);
  });

  it("canonical JSON: bigints as decimal strings, arrays kept in order, keys sorted at every depth; leaves lower-case addresses and hashes", () => {
    expect(canonicalEvidenceJson({ b: 1n, a: [2n, { d: null, c: "x" }], e: true })).toBe('{"a":["2",{"c":"x","d":null}],"b":"1","e":true}');
    expect(canonicalEvidenceJson([3, 1])).toBe("[3,1]");
    const c = { ...cred(A.toUpperCase().replace("0X", "0x"), 1n, 3n), resultHash: `0x${"AB".repeat(32)}` };
    const leaf = credentialLeaf(c);
    expect(leaf[3]).toBe(A);
    expect(leaf[6]).toBe(`0x${"ab".repeat(32)}`);
  });
});
