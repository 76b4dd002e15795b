// Small safetensors files for the registry's e2e uploads (the format: u64 LE header length, JSON header,
// F32 little-endian data), with seeded values so a run is repeatable.

/** Tensor name → shape, in file order. */
export type Shapes = [name: string, shape: number[]][];

export function mlpShapes(layers: number[]): Shapes {
  return layers.slice(1).flatMap((out, l) => [
    [`layers.${l}.weight`, [layers[l]!, out]],
    [`layers.${l}.bias`, [out]],
  ]);
}

/** lib/compute's GPT layout (gptSlices): wte, wpe, per layer ln1, attn qkv/proj, ln2, mlp fc/proj, then lnf. */
export function gptShapes({ layers, dim: d, context, vocab }: { layers: number; dim: number; context: number; vocab: number }): Shapes {
  const out: Shapes = [["wte", [vocab, d]], ["wpe", [context, d]]];
  for (let l = 0; l < layers; l++) {
    const p = `h${l}.`;
    out.push([`${p}ln1.g`, [d]], [`${p}ln1.b`, [d]], [`${p}attn.qkv.w`, [d, 3 * d]], [`${p}attn.qkv.b`, [3 * d]], [`${p}attn.proj.w`, [d, d]], [`${p}attn.proj.b`, [d]]);
    out.push([`${p}ln2.g`, [d]], [`${p}ln2.b`, [d]], [`${p}mlp.fc.w`, [d, 4 * d]], [`${p}mlp.fc.b`, [4 * d]], [`${p}mlp.proj.w`, [4 * d, d]], [`${p}mlp.proj.b`, [d]]);
  }
  out.push(["lnf.g", [d]], ["lnf.b", [d]]);
  return out;
}

/** A file with every tensor filled from a seeded generator (values in [−scale, scale]). */
export function safetensorsFile(shapes: Shapes, seed = 1, scale = 0.5): Buffer {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const header: Record<string, unknown> = {};
  let at = 0;
  for (const [name, shape] of shapes) {
    const n = shape.reduce((a, b) => a * b, 1);
    header[name] = { dtype: "F32", shape, data_offsets: [at, at + 4 * n] };
    at += 4 * n;
  }
  const json = Buffer.from(JSON.stringify(header));
  const out = Buffer.alloc(8 + json.length + at);
  out.writeBigUInt64LE(BigInt(json.length), 0);
  json.copy(out, 8);
  for (let i = 8 + json.length; i < out.length; i += 4) out.writeFloatLE(next() * scale, i);
  return out;
}
