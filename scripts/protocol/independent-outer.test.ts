// The outer step, the EIP-712 types and the spec hash written from docs/protocol (outer.md, results.md,
// inputs.md) alone — no lib/ imports; viem only for keccak-256 and EIP-712 hashing, as an outside
// developer would use it — checked against the committed vectors.
import { hashTypedData, keccak256, recoverTypedDataAddress, stringToBytes } from "viem";
import { describe, expect, it } from "vitest";
import { f, f32le, fromF32le as fromBase64, load, sha256 } from "./from-spec/common";

const fromF32le = (x: { f32leBase64: string }) => fromBase64(x.f32leBase64);

// outer.md
function outer(W: Float32Array, deltas: Float32Array[], lr: number, momentum: number, velocity: Float32Array | null) {
  const eta = f(lr);
  const mu = f(momentum);
  const inv = f(1 / deltas.length);
  const v = velocity ? Float32Array.from(velocity) : new Float32Array(W.length);
  const next = new Float32Array(W.length);
  for (let i = 0; i < W.length; i++) {
    let s = 0;
    for (const d of deltas) s = f(s + d[i]!);
    const g = -f(s * inv);
    v[i] = f(f(mu * v[i]!) + g);
    next[i] = f(W[i]! - f(eta * f(g + f(mu * v[i]!))));
  }
  return { next, v };
}

// results.md: the types as the tables give them
const DOMAIN_TYPES = { EIP712Domain: [{ name: "name", type: "string" }, { name: "version", type: "string" }, { name: "chainId", type: "uint256" }] };
const TYPES = {
  FragmentResult: [
    { name: "fragmentId", type: "string" }, { name: "replica", type: "uint32" }, { name: "nodeId", type: "uint256" }, { name: "specHash", type: "bytes32" },
    { name: "round", type: "uint32" }, { name: "deltaSha256", type: "bytes32" }, { name: "lossBits", type: "uint32" },
  ],
  WorkerAuth: [{ name: "nodeId", type: "uint256" }, { name: "expiresAt", type: "uint64" }],
  SessionKeyDelegation: [{ name: "sessionKey", type: "address" }, { name: "nodeId", type: "uint256" }, { name: "expiresAt", type: "uint64" }],
} as const;

// inputs.md: canonical JSON (keys sorted by UTF-16 code units, no whitespace, JSON.stringify scalars)
function canonical(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
}

describe("the outer step, signatures and spec hash written from docs/protocol alone", () => {
  it("reproduces every outer-step vector hash for hash (weights and velocity)", () => {
    for (const c of load("outer.json").cases) {
      for (const s of c.steps) {
        const { next, v } = outer(fromF32le(s.weights), s.deltasInShardOrder.map(fromF32le), c.outerLearningRate, c.outerMomentum, s.velocity ? fromF32le(s.velocity) : null);
        expect(sha256(f32le(next)), `${c.name} ${s.round}`).toBe(s.expected.weights.sha256);
        expect(sha256(f32le(v))).toBe(s.expected.velocity.sha256);
      }
    }
  });

  it("hashes and recovers every EIP-712 vector with the documented types and domain", async () => {
    const v = load("eip712.json");
    expect(v.domain).toEqual({ name: "Corex Network", version: "1", chainId: 31337 });
    for (const item of v.items) {
      const primaryType = item.primaryType as keyof typeof TYPES;
      const message = Object.fromEntries(Object.entries(item.message).map(([k, x]) => [k, ["nodeId", "expiresAt"].includes(k) ? BigInt(x as string) : x]));
      const typed = { domain: v.domain, types: { ...DOMAIN_TYPES, [primaryType]: TYPES[primaryType] }, primaryType, message } as Parameters<typeof hashTypedData>[0];
      expect(hashTypedData(typed), primaryType).toBe(item.digest);
      expect(await recoverTypedDataAddress({ ...typed, signature: item.signature } as never)).toBe(v.signer);
    }
  });

  it("recomputes the spec hash", () => {
    const v = load("spec-hash.json");
    expect(canonical(v.spec)).toBe(v.canonical);
    expect(keccak256(stringToBytes(canonical(v.spec)))).toBe(v.specHash);
  });
});
