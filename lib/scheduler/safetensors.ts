import "server-only";
// safetensors (https://github.com/huggingface/safetensors): u64 LE header length N, N bytes of JSON
// header (padded with spaces to a multiple of 8), then the raw little-endian tensor bytes.
import { gptSlices, layerSlices, type GptSpec } from "@/lib/compute";

/** A tensor of the flat float32 weights: `length` values from `offset`, shaped `shape`. */
export type Tensor = { name: string; shape: number[]; offset: number; length: number };

/** The tensors in flat-layout order (each tensor's bytes follow the previous one's, as the weights do). */
export function safetensorsOf(tensors: Tensor[], weights: Float32Array, metadata: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    if (t.offset * 4 !== offset) throw new Error(`tensor ${t.name} is not contiguous with the one before it`);
    header[t.name] = { dtype: "F32", shape: t.shape, data_offsets: [offset, offset + 4 * t.length] };
    offset += 4 * t.length;
  }
  if (offset !== 4 * weights.length) throw new Error(`the tensors hold ${offset / 4} values, the weights ${weights.length}`);
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (json.length % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (let i = 0; i < weights.length; i++, at += 4) view.setFloat32(at, weights[i]!, true);
  return out;
}

/** An MLP: layers.{l}.weight [n_in, n_out] then layers.{l}.bias [n_out] (the flat layout stores a layer's matrix, then its bias row). */
export function safetensors(layers: number[], weights: Float32Array, metadata: Record<string, string>): Uint8Array {
  const tensors: Tensor[] = [];
  let offset = 0;
  for (const [l, s] of layerSlices({ layers, activation: "relu" }).entries()) {
    tensors.push({ name: `layers.${l}.weight`, shape: [s.inputs, s.outputs], offset, length: s.inputs * s.outputs });
    offset += s.inputs * s.outputs;
    tensors.push({ name: `layers.${l}.bias`, shape: [s.outputs], offset, length: s.outputs });
    offset += s.outputs;
  }
  return safetensorsOf(tensors, weights, metadata);
}

/**
 * A GPT: one tensor per gptSlices slice, named as the layout names it (wte [V, D], wpe [context, D],
 * h{l}.attn.qkv.w [D, 3D] (in × out, y = x·W + b), h{l}.ln1.g [D], …, lnf.b [D]). The LM head is wte (tied).
 */
export function gptSafetensors(spec: GptSpec, weights: Float32Array, metadata: Record<string, string>): Uint8Array {
  const tensors = gptSlices(spec).all.map((s) => ({ name: s.name, shape: s.rows === 1 ? [s.cols] : [s.rows, s.cols], offset: s.offset, length: s.length }));
  return safetensorsOf(tensors, weights, metadata);
}
