// The Try it panel's Web Worker: downloads the model's safetensors from this origin, checks its sha-256 and
// every tensor against the config (lib/models readSafetensors, the upload route's check), and runs it here —
// an MLP on WebGPU where the worker gets an adapter, else WebAssembly SIMD; a language model on WebAssembly.
// Inputs never leave the browser: the only request is the download of the weights.
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import { loadModel, type LoadedModel, type ModelConfig } from "@/lib/models/client";

export type TryItQuestion = { type: "classify"; input: number[] } | { type: "generate"; prefix: string; seed: number; temperature: number; maxTokens: number };
export type TryItRequest = { type: "load"; id: number; url: string; sha256: string; config: ModelConfig } | (TryItQuestion & { id: number });
export type TryItResponse =
  | { type: "loaded"; id: number; backend: LoadedModel["backend"] }
  | { type: "probabilities"; id: number; probabilities: number[]; ms: number }
  | { type: "text"; id: number; text: string; ms: number }
  | { type: "error"; id: number; message: string };

const post = (m: TryItResponse) => (self as unknown as Worker).postMessage(m);
let model: LoadedModel | null = null;

async function load(m: Extract<TryItRequest, { type: "load" }>): Promise<TryItResponse> {
  const res = await fetch(m.url);
  if (!res.ok) throw new Error(`GET ${new URL(m.url).pathname}: ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const got = bytesToHex(sha256(bytes));
  if (got !== m.sha256) throw new Error(`the download hashes to ${got}, the registry says ${m.sha256}`);
  model = await loadModel(m.config, bytes);
  return { type: "loaded", id: m.id, backend: model.backend };
}

async function handle(m: TryItRequest): Promise<TryItResponse> {
  if (m.type === "load") return load(m);
  if (!model) throw new Error("the model is not loaded");
  const start = performance.now();
  if (m.type === "classify") {
    if (model.kind !== "classifier") throw new Error("this model generates text");
    const probabilities = await model.classify(Float32Array.from(m.input));
    return { type: "probabilities", id: m.id, probabilities, ms: performance.now() - start };
  }
  if (model.kind !== "generator") throw new Error("this model classifies");
  const text = await model.generate(m.prefix, { seed: m.seed, temperature: m.temperature, maxTokens: m.maxTokens });
  return { type: "text", id: m.id, text, ms: performance.now() - start };
}

self.onmessage = async (ev: MessageEvent<TryItRequest>) => {
  try {
    post(await handle(ev.data));
  } catch (e) {
    post({ type: "error", id: ev.data.id, message: (e as Error).message });
  }
};
