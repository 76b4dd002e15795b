import "server-only";
// safetensors (https://github.com/huggingface/safetensors): u64 LE header length N, N bytes of JSON
// header (padded with spaces to a multiple of 8), then the raw little-endian tensor bytes.
import { layerSlices } from "@/lib/compute";

export function safetensors(layers: number[], weights: Float32Array, metadata: Record<string, string>): Uint8Array {
  const slices = layerSlices({ layers, activation: "relu" });
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [l, s] of slices.entries()) {
    header[`layers.${l}.weight`] = { dtype: "F32", shape: [s.inputs, s.outputs], data_offsets: [offset, offset + 4 * s.inputs * s.outputs] };
    offset += 4 * s.inputs * s.outputs;
    header[`layers.${l}.bias`] = { dtype: "F32", shape: [s.outputs], data_offsets: [offset, offset + 4 * s.outputs] };
    offset += 4 * s.outputs;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (json.length % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  // The flat layout already stores each layer as its weight matrix followed by its bias row.
  let at = 8 + head.length;
  for (let i = 0; i < weights.length; i++, at += 4) view.setFloat32(at, weights[i]!, true);
  return out;
}
