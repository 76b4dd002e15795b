import http from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import { checkProof, proofRoot, reverifyFragment, type Proof } from "./proof-check";
import { decodeFloat32, encodeFloat32 } from "./fragments";
import { buildProof, type ProofFixture } from "./proof-test-fixture";

// One forged proof per check of proof-check.ts: each must be caught by exactly the check it targets
// (and `npm run verify-proof` must exit 1 on it), while the honest proof verifies.
describe("checkProof: the honest proof verifies, each forgery is caught by its check", () => {
  let fx: ProofFixture;
  const fetchFrom = (blobs: Map<string, Uint8Array>) => async (h: string) => {
    const b = blobs.get(h);
    if (!b) throw new Error(`no blob ${h}`);
    return b;
  };
  beforeAll(() => {
    fx = buildProof();
  });

  type Forgery = { name: string; forge: (p: Proof, blobs: Map<string, Uint8Array>) => void; expect: RegExp };
  const forgeries: Forgery[] = [
    {
      name: "a spliced weights chain (W_r ≠ the previous round's W_{r+1})",
      // round 2 claims round 1's input weights as its W_r; its fragments are rewired too, so only the chain check can see it
      forge: (p) => {
        const r2 = p.rounds[2]!;
        r2.weightsSha256 = p.rounds[1]!.weightsSha256;
        for (const f of r2.fragments) f.weightsSha256 = r2.weightsSha256;
      },
      expect: /^round 2: W_r [0-9a-f]{64} is not round 1's W_\{r\+1\}/,
    },
    {
      name: "a spliced optimizer state",
      forge: (p) => {
        p.rounds[2]!.optimizerStateSha256 = p.rounds[1]!.optimizerStateSha256;
      },
      expect: /^round 2: optimizer state [0-9a-f]{64} is not round 1's/,
    },
    {
      name: "an optimizer state where round 0 has none",
      forge: (p) => {
        p.rounds[1]!.optimizerStateSha256 = null;
      },
      expect: /^round 1: optimizer state null is not round 0's/,
    },
    {
      name: "a swapped final-weights hash",
      forge: (p) => {
        p.finalWeightsSha256 = p.rounds[1]!.nextWeightsSha256;
      },
      expect: /^final weights [0-9a-f]{64} are not the last round's W_\{r\+1\}$/,
    },
    {
      name: "a blob whose bytes do not match its hash",
      forge: (p, blobs) => {
        const h = p.rounds[0]!.acceptedResults[1]!.deltaSha256;
        const b = Uint8Array.from(blobs.get(h)!);
        b[0] = b[0]! ^ 1;
        blobs.set(h, b);
      },
      expect: /^blob [0-9a-f]{64} has sha-256 [0-9a-f]{64}$/,
    },
    {
      name: "a W_{r+1} that is not the outer step of W_r and the accepted deltas",
      forge: (p) => {
        // the last round, so no later chain link fires as well
        p.rounds[2]!.nextWeightsSha256 = p.rounds[2]!.weightsSha256;
        p.finalWeightsSha256 = p.rounds[2]!.weightsSha256;
      },
      expect: /^round 2: recomputed W_\{r\+1\} does not hash to/,
    },
    {
      name: "a next optimizer state that is not the outer step's",
      forge: (p) => {
        p.rounds[2]!.nextOptimizerStateSha256 = p.rounds[1]!.nextOptimizerStateSha256;
      },
      expect: /^round 2: recomputed optimizer state does not hash to/,
    },
    {
      name: "an accepted delta swapped for another shard's (hash-correct, but not this fragment's)",
      forge: (p) => {
        p.rounds[1]!.fragments[0]!.acceptedSha256 = p.rounds[1]!.fragments[1]!.acceptedSha256;
      },
      expect: /^fragment 1:0: accepted delta is .* \(relative L2\) from the reference$/,
    },
    {
      name: "a fragment whose input weights are not its round's W_r",
      forge: (p) => {
        p.rounds[1]!.fragments[1]!.weightsSha256 = p.rounds[0]!.weightsSha256;
      },
      expect: /^fragment 1:1: input weights [0-9a-f]{64} are not round 1's W_r/,
    },
    {
      name: "a fragment whose input shard is not the spec's shard",
      forge: (p) => {
        p.rounds[0]!.fragments[0]!.shardSha256 = p.rounds[0]!.fragments[1]!.shardSha256;
      },
      expect: /^fragment 0:0: input shard [0-9a-f]{64} is not the spec's shard 0/,
    },
    {
      name: "a proof root that is not the chain's (a round record's accepted fragment renamed)",
      forge: (p) => {
        p.rounds[1]!.acceptedResults[0]!.fragmentId = "elsewhere";
      },
      expect: /^proof root 0x[0-9a-f]{64} is not the chain's 0x[0-9a-f]{64}$/,
    },
    {
      name: "a proof root claimed for a chain with a round not aggregated",
      forge: (p) => {
        p.rounds[2]!.status = "open";
      },
      expect: /^proof root 0x[0-9a-f]{64} is not the chain's \(chain not complete\)$/,
    },
  ];

  it("proofRoot: a sha-256 chain over the spec hash and each round record, null for an incomplete chain", () => {
    const p = fx.proof;
    // The definition written out independently (README / docs: proof root).
    const h = (b: Uint8Array) => sha256(b);
    const enc = new TextEncoder();
    let acc = h(enc.encode(`corex-proof-root/v1\n${p.specHash}`));
    for (const r of p.rounds) {
      const rec = `${r.round}|${r.weightsSha256}|${r.optimizerStateSha256 ?? ""}|${r.acceptedResults.map((a) => `${a.shard}:${a.fragmentId}:${a.deltaSha256}`).join(",")}|${r.nextWeightsSha256}|${r.nextOptimizerStateSha256 ?? ""}`;
      acc = h(new Uint8Array([...acc, ...enc.encode(rec)]));
    }
    expect(p.proofRoot).toBe(`0x${bytesToHex(acc)}`);
    expect(proofRoot(p.specHash, [...p.rounds].reverse().map((r) => ({ ...r, acceptedResults: [...r.acceptedResults].reverse() })))).toBeNull();
    expect(proofRoot(p.specHash, p.rounds.map((r) => ({ ...r, acceptedResults: [...r.acceptedResults].reverse() })))).toBe(p.proofRoot);
    expect(proofRoot(p.specHash, p.rounds.slice(1))).toBeNull();
    expect(proofRoot(p.specHash, [])).toBeNull();
    expect(proofRoot(`0x${"1".repeat(64)}`, p.rounds)).not.toBe(p.proofRoot);
  });

  it("the honest proof: no mismatch, every fragment recomputed and every round re-aggregated", async () => {
    const log: string[] = [];
    expect(await checkProof(fx.proof, fetchFrom(fx.blobs), { fragments: "all", log: (l) => log.push(l) })).toEqual({ mismatches: [], fragmentsChecked: 6, roundsChecked: 3 });
    expect(log).toHaveLength(6);
    expect(log[0]).toMatch(/^fragment 0:0: relative L2 to reference 0\.00e\+0, max abs 0\.00e\+0$/);
    // a selection recomputes only the fragments asked for
    expect((await checkProof(fx.proof, fetchFrom(fx.blobs), { fragments: [{ round: 1, shard: 1 }] })).fragmentsChecked).toBe(1);
    expect((await checkProof(fx.proof, fetchFrom(fx.blobs), { fragments: [{ round: 1, shard: 7 }, { round: 9, shard: 1 }] })).fragmentsChecked).toBe(0);
    expect((await checkProof(fx.proof, fetchFrom(fx.blobs), { fragments: [{ round: 0, shard: 0 }, { round: 1, shard: 1 }] })).fragmentsChecked).toBe(2);
  });

  for (const f of forgeries) {
    it(`catches ${f.name}`, async () => {
      const p = structuredClone(fx.proof);
      const blobs = new Map(fx.blobs);
      f.forge(p, blobs);
      const { mismatches } = await checkProof(p, fetchFrom(blobs));
      expect(mismatches.some((m) => f.expect.test(m)), mismatches.join("\n")).toBe(true);
    });
  }

  it("a fragment not yet accepted, or without an accepted delta, is not recomputed; an unaggregated round is not re-aggregated", async () => {
    const p = structuredClone(fx.proof);
    p.rounds[0]!.fragments[0]!.status = "open";
    p.rounds[0]!.fragments[1]!.acceptedSha256 = null;
    p.rounds[2]!.status = "open";
    p.rounds[2]!.nextWeightsSha256 = null;
    p.rounds[2]!.nextOptimizerStateSha256 = null;
    p.finalWeightsSha256 = null;
    p.proofRoot = null; // a job still training has no root yet
    expect(await checkProof(p, fetchFrom(fx.blobs))).toEqual({ mismatches: [], fragmentsChecked: 4, roundsChecked: 2 });
    // an open round is not re-aggregated even when it names a W_{r+1}
    const q = structuredClone(fx.proof);
    q.rounds[2]!.status = "open";
    expect((await checkProof(q, fetchFrom(fx.blobs), { fragments: [] })).roundsChecked).toBe(2);
    // a proof with no rounds but a final hash is refused, not a crash
    expect((await checkProof({ ...fx.proof, rounds: [] }, fetchFrom(fx.blobs))).mismatches).toEqual([`final weights ${fx.proof.finalWeightsSha256} are not the last round's W_{r+1}`]);
  });

  it("reverifyFragment: verified for an honest fragment, refused with the reason for forged ones", async () => {
    const stages: string[] = [];
    const ok = await reverifyFragment(fx.proof, 2, 1, fetchFrom(fx.blobs), (s) => stages.push(s));
    expect(ok).toMatchObject({ verified: true, mismatches: [], relativeL2: 0, maxAbs: 0, tolerance: 1e-4, acceptedSha256: fx.proof.rounds[2]!.fragments[1]!.acceptedSha256 });
    expect(stages).toEqual(["inputs", "recompute", "compare"]);
    await expect(reverifyFragment(fx.proof, 3, 0, fetchFrom(fx.blobs))).rejects.toThrow(/no fragment 3:0/);
    await expect(reverifyFragment(fx.proof, 0, 9, fetchFrom(fx.blobs))).rejects.toThrow(/no fragment 0:9/);
    const open = structuredClone(fx.proof);
    open.rounds[0]!.fragments[0]!.status = "open";
    await expect(reverifyFragment(open, 0, 0, fetchFrom(fx.blobs))).rejects.toThrow(/no published accepted result/);
    // a delta just past the tolerance fails; one well inside it passes
    for (const [scale, verified] of [[2, false], [0.1, true]] as const) {
      const p = structuredClone(fx.proof);
      const blobs = new Map(fx.blobs);
      const f = p.rounds[1]!.fragments[0]!;
      const d = decodeFloat32(blobs.get(f.acceptedSha256!)!);
      let norm = 0;
      for (const v of d) norm += v * v;
      // push every value by the same amount, so ‖δ − ref‖ / ‖ref‖ = scale × tolerance
      const eps = (scale * p.tolerance.relativeL2 * Math.sqrt(norm)) / Math.sqrt(d.length);
      const bytes = encodeFloat32(d.map((v) => v + eps));
      const { sha256 } = await import("@noble/hashes/sha2");
      const { bytesToHex } = await import("@noble/hashes/utils");
      f.acceptedSha256 = bytesToHex(sha256(bytes));
      blobs.set(f.acceptedSha256, bytes);
      const v = await reverifyFragment(p, 1, 0, fetchFrom(blobs));
      expect(v.verified, `${scale}× the tolerance`).toBe(verified);
      expect(v.relativeL2 / p.tolerance.relativeL2).toBeCloseTo(scale, 1);
    }
    // a blob with the wrong bytes is reported even when the recomputation agrees
    const blobs = new Map(fx.blobs);
    const shardSha = fx.proof.rounds[0]!.fragments[0]!.shardSha256;
    blobs.set(shardSha, Uint8Array.from(blobs.get(shardSha)!));
    const h = fx.proof.rounds[0]!.weightsSha256;
    const w = Uint8Array.from(blobs.get(h)!);
    w[3] = w[3]! ^ 0x80; // flips a sign: a different W_r
    blobs.set(h, w);
    const bad = await reverifyFragment(fx.proof, 0, 0, fetchFrom(blobs));
    expect(bad.verified).toBe(false);
    expect(bad.mismatches[0]).toMatch(/^blob [0-9a-f]{64} has sha-256/);
  });

  describe("npm run verify-proof exits 1 on each forgery (0 on the honest proof)", () => {
    let server: http.Server;
    let api: string;
    let current: { proof: Proof; blobs: Map<string, Uint8Array> };
    beforeAll(async () => {
      server = http.createServer((rq, rs) => {
        const url = rq.url ?? "/";
        const blob = /^\/api\/blobs\/([0-9a-f]{64})$/.exec(url);
        if (url === `/api/jobs/${current.proof.jobId}/proof`) {
          rs.writeHead(200, { "content-type": "application/json" });
          rs.end(JSON.stringify(current.proof));
        } else if (blob && current.blobs.has(blob[1]!)) {
          rs.writeHead(200, { "content-type": "application/octet-stream" });
          rs.end(Buffer.from(current.blobs.get(blob[1]!)!));
        } else {
          rs.writeHead(404).end();
        }
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      api = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    const run = async (proof: Proof, blobs: Map<string, Uint8Array>) => {
      current = { proof, blobs };
      const { main } = await import("@/scripts/verify-proof");
      const out = vi.spyOn(console, "log").mockImplementation(() => {});
      try {
        return { code: await main(["--api", api, "--job", proof.jobId, "--all"]), lines: out.mock.calls.map((c) => String(c[0])) };
      } finally {
        out.mockRestore();
      }
    };

    it("exits 0 on the honest proof", async () => {
      const { code, lines } = await run(fx.proof, fx.blobs);
      expect(code).toBe(0);
      expect(lines.at(-1)).toMatch(/^verified: 6 fragments recomputed, 3 rounds re-aggregated/);
    });
    for (const f of forgeries) {
      it(`exits 1 on ${f.name}`, async () => {
        const p = structuredClone(fx.proof);
        const blobs = new Map(fx.blobs);
        f.forge(p, blobs);
        const { code, lines } = await run(p, blobs);
        expect(code).toBe(1);
        expect(lines.some((l) => l.startsWith("MISMATCH ") && f.expect.test(l.slice("MISMATCH ".length)))).toBe(true);
      });
    }
  });
});

describe("the outer optimizer over 3 rounds (lr 0.6, momentum 0.9) against an independent float64 computation", () => {
  it("every W_{r+1} of the fixture's chain is Nesterov momentum on −mean(Δ), to float32 rounding", () => {
    const fx = buildProof({ rounds: 3, lr: 0.6, momentum: 0.9 });
    // Written from the formula, in float64, without lib/compute/outer.ts.
    const lr = 0.6;
    const mu = 0.9;
    let w = Array.from(fx.w0, Number);
    let v = w.map(() => 0);
    for (let r = 0; r < 3; r++) {
      const ds = fx.deltas[r]!;
      const g = w.map((_, i) => -(ds.reduce((a, d) => a + d[i]!, 0) / ds.length));
      v = v.map((vi, i) => mu * vi + g[i]!);
      w = w.map((wi, i) => wi - lr * (g[i]! + mu * v[i]!));
      const got = fx.weights[r]!;
      let maxErr = 0;
      let maxStep = 0;
      for (let i = 0; i < w.length; i++) {
        maxErr = Math.max(maxErr, Math.abs(got[i]! - w[i]!));
        maxStep = Math.max(maxStep, Math.abs(w[i]! - (r === 0 ? fx.w0[i]! : fx.weights[r - 1]![i]!)));
      }
      expect(maxErr, `round ${r}`).toBeLessThan(1e-6);
      // the step is not negligible, so a wrong lr or velocity would show far above the rounding error
      expect(maxStep).toBeGreaterThan(1e-3);
    }
  });
});
