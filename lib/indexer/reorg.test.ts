import { describe, expect, it } from "vitest";
import { DeepReorgError } from "./errors";
import { findCommonAncestor, verifyChain } from "./reorg";

const h = (n: number, fork = "a") => `0x${fork}${n}`;

function setup(ours: number[], theirs: (n: number) => string | null) {
  const stored = new Map(ours.map((n) => [n, h(n)]));
  const asked: number[] = [];
  return {
    asked,
    run: (cp: number, finalityDepth: number) =>
      findCommonAncestor({
        chainId: 1,
        checkpoint: { number: cp, hash: h(cp) },
        stored,
        finalityDepth,
        chainHash: async (n) => {
          asked.push(n);
          return theirs(n);
        },
      }),
  };
}

describe("findCommonAncestor", () => {
  it("finds the highest block both chains share", async () => {
    const s = setup([90, 91, 92, 93, 94, 95], (n) => (n <= 92 ? h(n) : h(n, "b")));
    expect(await s.run(95, 10)).toEqual({ number: 92, hash: h(92) });
    expect(s.asked).toEqual([95, 94, 93, 92]);
  });
  it("returns the checkpoint itself when it is still on the chain", async () => {
    const s = setup([99, 100], (n) => h(n));
    expect(await s.run(100, 10)).toEqual({ number: 100, hash: h(100) });
  });
  it("treats a block missing on a shorter chain as replaced", async () => {
    const s = setup([95, 96, 97, 98], (n) => (n > 96 ? null : h(n)));
    expect((await s.run(98, 10)).number).toBe(96);
  });
  it("is a fatal deep reorg past the finality depth", async () => {
    const s = setup(Array.from({ length: 30 }, (_, i) => 70 + i), (n) => (n <= 80 ? h(n) : h(n, "b")));
    await expect(s.run(99, 5)).rejects.toThrow(DeepReorgError);
    await expect(s.run(99, 5)).rejects.toThrow(/finality depth \(5 blocks\)/);
  });
  it("is a fatal deep reorg when the changed blocks are older than the blocks kept", async () => {
    const s = setup([97, 98, 99], () => "0xother");
    await expect(s.run(99, 64)).rejects.toThrow(/older than the blocks kept/);
  });
});

describe("verifyChain", () => {
  const hdr = (n: number, parent = h(n - 1)) => ({ number: n, hash: h(n), parentHash: parent });
  it("accepts contiguous headers linked by parent hash", () => {
    expect(verifyChain({ number: 9, hash: h(9) }, [hdr(10), hdr(11), hdr(12)])).toBeNull();
    expect(verifyChain(null, [hdr(10), hdr(11)])).toBeNull();
  });
  it("reports a parent mismatch or a gap", () => {
    expect(verifyChain({ number: 9, hash: h(9) }, [hdr(10, "0xzz")])).toMatch(/parent/);
    expect(verifyChain(null, [hdr(10), hdr(11, "0xzz")])).toMatch(/parent/);
    expect(verifyChain(null, [hdr(10), hdr(12)])).toMatch(/does not follow/);
  });
});
