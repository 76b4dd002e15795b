// Safetensors files for the registry's tests (unit and integration): a valid file for a config, and the
// means to break it one way at a time.
import { expectedTensors, type ModelConfig } from "./config";

export type RawTensor = { dtype?: string; shape: number[]; data_offsets?: [number, number]; values?: Float32Array };

/** Any header (tensors in the given order, data laid out in that order unless offsets are given) and data. */
export function encodeSafetensors(tensors: Record<string, RawTensor>, { metadata = { format: "pt" }, rawHeader }: { metadata?: Record<string, string>; rawHeader?: string } = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const values = t.values ?? new Float32Array(t.shape.reduce((a, b) => a * b, 1));
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    header[name] = { dtype: t.dtype ?? "F32", shape: t.shape, data_offsets: t.data_offsets ?? [at, at + bytes.length] };
    chunks.push(bytes);
    at += bytes.length;
  }
  let json = rawHeader ?? JSON.stringify(header);
  json += " ".repeat((8 - (json.length % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + at);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let p = 8 + head.length;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

/** The tensors a config needs, filled with `value(i)` over the flat weights (default: small distinct numbers). */
export function tensorsFor(config: ModelConfig, value: (i: number) => number = (i) => ((i % 97) - 48) / 100): Record<string, RawTensor> {
  return Object.fromEntries(
    expectedTensors(config).map((e) => [e.name, { shape: e.shape, values: Float32Array.from({ length: e.length }, (_, i) => value(e.offset + i)) }]),
  );
}

export const irisConfig: ModelConfig = {
  kind: "mlp",
  layers: [4, 8, 3],
  activation: "tanh",
  features: ["sepal_length", "sepal_width", "petal_length", "petal_width"],
  classes: ["setosa", "versicolor", "virginica"],
  normalisation: { mean: [5.8, 3, 3.8, 1.2], std: [0.8, 0.4, 1.8, 0.8] },
};

export const tinyGptConfig: ModelConfig = { kind: "gpt", layers: 1, heads: 2, dim: 8, context: 6, vocab: 5, tied: true, vocabulary: ["\n", "a", "b", "c", "d"] };
