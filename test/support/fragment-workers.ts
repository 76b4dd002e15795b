// Simulated fragment workers for integration tests: they call the real route handlers in-process
// (claim → download inputs → compute with the CPU reference → sign → submit), honestly or as one of
// the Byzantine strategies of issue 9.
import type { PrivateKeyAccount } from "viem/accounts";
import type { BlobStore } from "@/lib/blobs/store";
import { encodeFloat32, lossBits, referenceFragment, resultDomain, resultTypes, workerAuthTypes, type ClaimedSlot, type TrainingSpec } from "@/lib/protocol";
import { params, req } from "./app-env";

export type Strategy = "honest" | "garbage" | "scaled" | "stale" | "zero" | "copy" | "vanish" | "flip";
type Routes = {
  claim: typeof import("@/app/api/fragments/claim/route");
  heartbeat: typeof import("@/app/api/fragments/[id]/heartbeat/route");
  result: typeof import("@/app/api/fragments/[id]/result/route");
};

export async function loadFragmentRoutes(): Promise<Routes> {
  return {
    claim: await import("@/app/api/fragments/claim/route"),
    heartbeat: await import("@/app/api/fragments/[id]/heartbeat/route"),
    result: await import("@/app/api/fragments/[id]/result/route"),
  };
}

export async function workerAuth(signer: PrivateKeyAccount, nodeId: bigint, chainId = 31337): Promise<string> {
  const expiresAt = BigInt(Math.floor(Date.now() / 1000) + 300);
  const sig = await signer.signTypedData({ domain: resultDomain(chainId), types: workerAuthTypes, primaryType: "WorkerAuth", message: { nodeId, expiresAt } });
  return `${expiresAt}.${sig}`;
}

export async function signResult(signer: PrivateKeyAccount, slot: Pick<ClaimedSlot, "fragmentId" | "replica" | "specHash" | "round">, nodeId: bigint, deltaSha256: string, loss: number, chainId = 31337) {
  return signer.signTypedData({
    domain: resultDomain(chainId), types: resultTypes, primaryType: "FragmentResult",
    message: { fragmentId: slot.fragmentId, replica: slot.replica, nodeId, specHash: slot.specHash as `0x${string}`, round: slot.round, deltaSha256: `0x${deltaSha256}`, lossBits: lossBits(loss) },
  });
}

export function resultRequest(slotId: string, body: Uint8Array, headers: Record<string, string>): Request {
  return req(`/api/fragments/${slotId}/result`, { method: "POST", body: body as BodyInit, headers: { "content-type": "application/octet-stream", ...headers } });
}

export const sha256 = async (b: Uint8Array) => (await import("node:crypto")).createHash("sha256").update(b).digest("hex");

/** An inference result with row 0's class replaced by the next class id (a cheat a hash check alone would also catch, but the probabilities still agree). */
export function flipFirstClass(values: Float32Array, classes: number): Float32Array {
  const out = values.slice();
  out[0] = (out[0]! + 1) % classes;
  return out;
}

/** A language model's result with prompt 0's first token moved to another id (or one token added when it has none): still a well-formed record. */
export function flipFirstToken(values: Float32Array, vocab: number): Float32Array {
  const out = values.slice();
  if (out[0]! > 0) out[1] = (out[1]! % (vocab - 1)) + 1;
  else [out[0], out[1]] = [1, 1];
  return out;
}

/** Shared between workers: the last honest delta (the "copy" strategy submits it for its own fragment). */
export const lastHonest: { delta?: Float32Array; loss?: number; fragmentId?: string } = {};

export class SimWorker {
  constructor(
    readonly routes: Routes,
    readonly store: BlobStore,
    readonly owner: PrivateKeyAccount,
    readonly nodeId: bigint,
    readonly strategy: Strategy = "honest",
    readonly signer: PrivateKeyAccount = owner,
  ) {}
  barred = false;
  submitted = 0;
  held: ClaimedSlot[] = [];

  async claim(max = 1): Promise<ClaimedSlot[]> {
    const res = await this.routes.claim.POST(
      req("/api/fragments/claim", { method: "POST", json: { nodeId: this.nodeId.toString(), max }, headers: { "x-corex-worker": await workerAuth(this.signer, this.nodeId) } }),
      { params: Promise.resolve({}) } as never,
    );
    if (res.status === 403) {
      this.barred = true;
      return [];
    }
    if (res.status !== 200) throw new Error(`claim ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { slots: ClaimedSlot[] }).slots;
  }

  async compute(slot: ClaimedSlot, spec: TrainingSpec, weightsSha256 = slot.inputs.weightsSha256) {
    const w = (await this.store.get(weightsSha256))!;
    const shard = (await this.store.get(slot.inputs.shardSha256))!;
    return referenceFragment(spec, slot.round, slot.shard, w, shard);
  }

  async submit(slot: ClaimedSlot, delta: Float32Array, loss: number): Promise<Response> {
    const bytes = encodeFloat32(delta);
    const signature = await signResult(this.signer, slot, this.nodeId, await sha256(bytes), loss);
    return this.routes.result.POST(resultRequest(slot.slotId, bytes, { "x-corex-loss": String(loss), "x-corex-signature": signature }), params({ id: slot.slotId }));
  }

  /** One step: claim up to `max` slots and answer each according to the strategy. */
  async step(spec: TrainingSpec, opts: { max?: number; staleWeights?: (round: number) => string | undefined } = {}): Promise<number> {
    if (this.barred) return 0;
    const slots = await this.claim(opts.max ?? 1);
    for (const slot of slots) {
      if (this.strategy === "vanish") {
        this.held.push(slot);
        continue;
      }
      let delta: Float32Array;
      let loss: number;
      if (this.strategy === "stale" && slot.round > 0) {
        const r = await this.compute(slot, spec, opts.staleWeights!(slot.round - 1));
        [delta, loss] = [r.delta, r.meanLoss];
      } else if (this.strategy === "copy" && lastHonest.delta && lastHonest.fragmentId !== slot.fragmentId) {
        [delta, loss] = [lastHonest.delta, lastHonest.loss!];
      } else {
        const r = await this.compute(slot, spec);
        [delta, loss] = [r.delta, r.meanLoss];
        if (this.strategy === "garbage") delta = delta.map((_, i) => Math.sin(i * 12.9898 + Number(this.nodeId)) * 0.1);
        if (this.strategy === "scaled") delta = delta.map((v) => v * 1.5);
        if (this.strategy === "zero") delta = new Float32Array(delta.length);
        // Inference: the first row's class moved to the next one, its probabilities left as they were.
        if (this.strategy === "flip") delta = spec.model.kind === "gpt" ? flipFirstToken(delta, spec.model.vocab) : flipFirstClass(delta, spec.model.kind === "mlp" ? spec.model.layers.at(-1)! : 2);
        if (this.strategy === "honest") Object.assign(lastHonest, { delta: r.delta, loss: r.meanLoss, fragmentId: slot.fragmentId });
      }
      const res = await this.submit(slot, delta, loss);
      if (res.status !== 201 && res.status !== 200 && res.status !== 409) throw new Error(`result ${res.status}: ${await res.text()}`);
      if (res.status !== 409) this.submitted++;
    }
    return slots.length;
  }
}
