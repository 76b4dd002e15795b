// A dedicated Web Worker for "Re-verify in my browser": downloads the job's proof and the fragment's
// blobs from this origin's public API and runs the same check as `npm run verify-proof`
// (lib/protocol/proof-check), so the CPU reference's seconds of maths never block the page.
import { reverifyFragment, type FragmentCheckStage, type FragmentVerdict, type Proof } from "@/lib/protocol";

export type ReverifyRequest = { origin: string; jobId: string; round: number; shard: number };
export type ReverifyMessage = { type: "stage"; stage: "proof" | FragmentCheckStage } | { type: "done"; verdict: FragmentVerdict } | { type: "error"; message: string };

const post = (m: ReverifyMessage) => (self as unknown as Worker).postMessage(m);

async function get(url: string): Promise<Response> {
  const res = await fetch(url, { cache: "no-store" });
  if (!res.ok) throw new Error(`GET ${new URL(url).pathname}: ${res.status}`);
  return res;
}

self.onmessage = async (ev: MessageEvent<ReverifyRequest>) => {
  const { origin, jobId, round, shard } = ev.data;
  try {
    post({ type: "stage", stage: "proof" });
    const proof = (await (await get(`${origin}/api/jobs/${jobId}/proof`)).json()) as Proof;
    const fetchBlob = async (h: string) => new Uint8Array(await (await get(`${origin}/api/blobs/${h}`)).arrayBuffer());
    const verdict = await reverifyFragment(proof, round, shard, fetchBlob, (stage) => post({ type: "stage", stage }));
    post({ type: "done", verdict });
  } catch (e) {
    post({ type: "error", message: (e as Error).message });
  }
};
