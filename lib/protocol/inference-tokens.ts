// Language-model inference fragments (docs/concepts/inference.md → Language models). A job's prompts are
// the lines of a text file, tokenised with the model's vocabulary and cut in order into fragments; a
// fragment's shard is a CXPR prompt shard (below) and its result, in the same float32 body every result
// uses, one record per prompt of 1 + maxTokens values:
//
//   [n, t_1, …, t_n, 0, …, 0]      n ≤ maxTokens tokens generated, the rest of the record zero
//
// Generation is greedy and the same everywhere: the sequence starts as [0 (the boundary), …prompt]; each
// step runs the model on its last `context` tokens padded with 0 to the full context (attention is causal,
// so the padding changes nothing before it, and every backend runs one program shape), takes the logits at
// the window's last real position and picks the largest, ties to the lowest token id. Drawing the boundary
// ends the prompt's continuation (it is not part of it), as do maxTokens tokens. With no randomness and
// the WASM path bit-identical to the CPU reference, replicas agree exactly or one of them is wrong.
import { gptForward, gptForwardFlops, type GptSpec } from "@/lib/compute";

/** "CXPR" read as a little-endian u32. */
export const PROMPT_MAGIC = 0x52505843;
export const PROMPT_VERSION = 1;
export const PROMPT_HEADER_BYTES = 24;

/**
 * A CXPR prompt shard, little-endian:
 *
 *   0   u32 magic "CXPR"        4   u32 version = 1        8   u32 rows n
 *   12  u32 context T           16  u32 vocabulary size V  20  u32 reserved = 0
 *   24  n records of T u16: the prompt's length L (≤ T − 1, room for the boundary token), its L token ids,
 *       then zeros
 */
export function encodePromptShard(prompts: readonly ArrayLike<number>[], context: number, vocab: number): Uint8Array {
  const bytes = new Uint8Array(PROMPT_HEADER_BYTES + 2 * prompts.length * context);
  const view = new DataView(bytes.buffer);
  [PROMPT_MAGIC, PROMPT_VERSION, prompts.length, context, vocab, 0].forEach((v, i) => view.setUint32(4 * i, v, true));
  prompts.forEach((p, r) => {
    if (p.length > context - 1) throw new RangeError(`prompt ${r} is ${p.length} tokens; the context (${context}) holds ${context - 1} after the boundary`);
    const at = PROMPT_HEADER_BYTES + 2 * r * context;
    view.setUint16(at, p.length, true);
    for (let j = 0; j < p.length; j++) {
      if (!(Number.isInteger(p[j]) && p[j]! >= 0 && p[j]! < vocab)) throw new RangeError(`prompt ${r}: token ${p[j]} is not in [0, ${vocab})`);
      view.setUint16(at + 2 * (1 + j), p[j]!, true);
    }
  });
  return bytes;
}

export type PromptShard = { prompts: Uint32Array[]; context: number; vocab: number };

/** CXPR bytes → the prompts, checked: the header, the size, each length and token, zero padding. */
export function decodePromptShard(bytes: Uint8Array): PromptShard {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < PROMPT_HEADER_BYTES || view.getUint32(0, true) !== PROMPT_MAGIC) throw new RangeError("not a CXPR prompt shard (bad magic)");
  if (view.getUint32(4, true) !== PROMPT_VERSION) throw new RangeError(`unsupported CXPR version ${view.getUint32(4, true)}`);
  const rows = view.getUint32(8, true);
  const context = view.getUint32(12, true);
  const vocab = view.getUint32(16, true);
  if (bytes.byteLength !== PROMPT_HEADER_BYTES + 2 * rows * context) throw new RangeError(`CXPR shard is ${bytes.byteLength} bytes, its header says ${PROMPT_HEADER_BYTES + 2 * rows * context}`);
  const prompts: Uint32Array[] = [];
  for (let r = 0; r < rows; r++) {
    const at = PROMPT_HEADER_BYTES + 2 * r * context;
    const length = view.getUint16(at, true);
    if (length > context - 1) throw new RangeError(`CXPR prompt ${r}: length ${length} is over ${context - 1}`);
    const p = new Uint32Array(length);
    for (let j = 1; j < context; j++) {
      const v = view.getUint16(at + 2 * j, true);
      if (j <= length) {
        if (v >= vocab) throw new RangeError(`CXPR prompt ${r}: token ${v} is not below ${vocab}`);
        p[j - 1] = v;
      } else if (v !== 0) throw new RangeError(`CXPR prompt ${r}: padding is not zero`);
    }
    prompts.push(p);
  }
  return { prompts, context, vocab };
}

/** Float32 values per prompt of a language model's result. */
export const continuationWidth = (maxTokens: number): number => 1 + maxTokens;

/** The next-token logits (V values) at position `length − 1` of `window`: `context` ids, the real ones first, zero-padded. */
export type WindowLogits = (window: Uint32Array, length: number) => Float32Array;

/** The largest logit's token; ties to the lowest id (a NaN is never picked over a number). */
export function greedyToken(z: ArrayLike<number>): number {
  let best = 0;
  for (let c = 1; c < z.length; c++) if (z[c]! > z[best]!) best = c;
  return best;
}

/** One prompt's greedy continuation (the rule at the head of this file); `logits` is any backend's forward pass. */
export function continueGreedy(prompt: ArrayLike<number>, maxTokens: number, context: number, logits: WindowLogits): number[] {
  const seq = [0, ...Array.from(prompt)];
  const out: number[] = [];
  const window = new Uint32Array(context);
  for (let i = 0; i < maxTokens; i++) {
    const tail = seq.slice(-context);
    window.fill(0);
    window.set(tail);
    const next = greedyToken(logits(window, tail.length));
    if (next === 0) break;
    out.push(next);
    seq.push(next);
  }
  return out;
}

export function encodeContinuations(continuations: readonly number[][], maxTokens: number): Float32Array {
  const width = continuationWidth(maxTokens);
  const out = new Float32Array(continuations.length * width);
  continuations.forEach((c, r) => {
    if (c.length > maxTokens) throw new RangeError(`continuation ${r} has ${c.length} tokens, over maxTokens ${maxTokens}`);
    out[r * width] = c.length;
    out.set(c, r * width + 1);
  });
  return out;
}

export function decodeContinuations(values: Float32Array, maxTokens: number): number[][] {
  const width = continuationWidth(maxTokens);
  if (values.length % width !== 0) throw new RangeError(`${values.length} values is not a whole number of ${width}-value records`);
  return Array.from({ length: values.length / width }, (_, r) => Array.from(values.subarray(r * width + 1, r * width + 1 + values[r * width]!)));
}

/**
 * Why a result body cannot be a language model's output (null when it can): a count that is not an
 * integer in [0, maxTokens], a token that is not an id in [1, V) (0 ends a continuation, it is never in
 * one), or a non-zero value after the last token. Checked on submission, before anyone compares.
 */
export function continuationProblem(values: Float32Array, maxTokens: number, vocab: number): string | null {
  const width = continuationWidth(maxTokens);
  for (let r = 0; r * width < values.length; r++) {
    const n = values[r * width]!;
    if (!(Number.isInteger(n) && n >= 0 && n <= maxTokens)) return `prompt ${r}: token count ${n} is not an integer in [0, ${maxTokens}]`;
    for (let j = 1; j <= maxTokens; j++) {
      const v = values[r * width + j]!;
      if (j <= n ? !(Number.isInteger(v) && v >= 1 && v < vocab) : v !== 0) {
        return `prompt ${r}: ${j <= n ? `token ${v} is not an id in [1, ${vocab})` : `value ${v} after the last token is not 0`}`;
      }
    }
  }
  return null;
}

/** Replicas of a language model's fragment agree when every value is equal: the same tokens, bit for bit. */
export function continuationsAgree(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The CPU reference's logits for continueGreedy: gptForward on the padded window at batch 1. */
export const referenceWindowLogits = (spec: GptSpec, weights: Float32Array): WindowLogits => (window, length) =>
  gptForward(spec, weights, window, 1, spec.context).slice((length - 1) * spec.vocab, length * spec.vocab);

/** The referee's result for a prompt shard: every prompt continued on the CPU reference. */
export function referenceContinuations(spec: GptSpec, weights: Float32Array, shard: PromptShard, maxTokens: number): Float32Array {
  if (shard.context !== spec.context || shard.vocab > spec.vocab) throw new RangeError(`the prompt shard is for context ${shard.context} / vocabulary ${shard.vocab}, the model has ${spec.context} / ${spec.vocab}`);
  const logits = referenceWindowLogits(spec, weights);
  return encodeContinuations(shard.prompts.map((p) => continueGreedy(p, maxTokens, spec.context, logits)), maxTokens);
}

/**
 * Work units of `rows` prompts: maxTokens forward passes of one full-context window each (gptForwardFlops at
 * B = 1) — what a backend runs at most; a continuation that ends early at the boundary is still counted in full,
 * so the units are known when the job is created and the same for every replica.
 */
export const gptInferenceFlops = (spec: GptSpec, rows: number, maxTokens: number): number => rows * maxTokens * gptForwardFlops(spec, 1);
