// Token shards of GPT jobs: windows of a token stream (./windows.ts) as content-addressed blobs.
//
// Not the CXDS table of MLP jobs (lib/datasets/layout.ts): a table's f32 features + u32 labels would
// carry token ids (exact below 2^24) only by pretending each window is features and its last token a
// label, and a GPT worker handed an MLP shard (or the reverse) would then decode garbage instead of
// failing. So a shard has its own magic and the same 24-byte header shape. Little-endian:
//
//   offset  size      field
//   0       4         magic, ASCII "CXTK"
//   4       4         u32 version = 1
//   8       4         u32 rows n (windows)
//   12      4         u32 width w = context + 1 (tokens per window)
//   16      4         u32 vocabulary size V (every token is below it; V ≤ 65,536)
//   20      4         u32 reserved = 0
//   24      2·n·w     u16 token ids, row-major: row i, position j at 24 + 2·(i·w + j)
//
// u16 on the wire halves the blobs (the Brown corpus is ≈ 6 M tokens); in memory tokens are Uint32Array,
// the type of the GPT fragment's batches. The blob's name is the sha-256 of exactly these bytes.

export const TOKEN_MAGIC = 0x4b545843; // "CXTK" read as little-endian u32
export const TOKEN_VERSION = 1;
export const TOKEN_HEADER_BYTES = 24;
export const MAX_SHARD_VOCABULARY = 65_536;

/** `rows` windows of `width` token ids each, row-major. */
export type TokenShard = { tokens: Uint32Array; rows: number; width: number };

export function encodeTokenShard(shard: TokenShard, vocabularySize: number): Uint8Array {
  const { tokens, rows, width } = shard;
  if (tokens.length !== rows * width) throw new Error(`token shard of ${rows}×${width} holds ${tokens.length} tokens`);
  if (!Number.isInteger(vocabularySize) || vocabularySize < 1 || vocabularySize > MAX_SHARD_VOCABULARY) throw new Error(`vocabulary size ${vocabularySize} is not in [1, ${MAX_SHARD_VOCABULARY}]`);
  const bytes = new Uint8Array(TOKEN_HEADER_BYTES + 2 * tokens.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, TOKEN_MAGIC, true);
  view.setUint32(4, TOKEN_VERSION, true);
  view.setUint32(8, rows, true);
  view.setUint32(12, width, true);
  view.setUint32(16, vocabularySize, true);
  view.setUint32(20, 0, true);
  for (let i = 0, at = TOKEN_HEADER_BYTES; i < tokens.length; i++, at += 2) {
    if (tokens[i]! >= vocabularySize) throw new Error(`token ${tokens[i]} at ${i} is not below the vocabulary size ${vocabularySize}`);
    view.setUint16(at, tokens[i]!, true);
  }
  return bytes;
}

export function decodeTokenShard(bytes: Uint8Array): TokenShard & { vocabularySize: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < TOKEN_HEADER_BYTES || view.getUint32(0, true) !== TOKEN_MAGIC) throw new Error("not a CXTK token shard (bad magic)");
  const version = view.getUint32(4, true);
  if (version !== TOKEN_VERSION) throw new Error(`unsupported CXTK version ${version}`);
  const rows = view.getUint32(8, true);
  const width = view.getUint32(12, true);
  const vocabularySize = view.getUint32(16, true);
  const expected = TOKEN_HEADER_BYTES + 2 * rows * width;
  if (bytes.byteLength !== expected) throw new Error(`CXTK shard is ${bytes.byteLength} bytes, header says ${expected}`);
  if (width < 2) throw new Error(`CXTK shard width ${width}: a window needs at least two tokens`);
  const tokens = new Uint32Array(rows * width);
  for (let i = 0, at = TOKEN_HEADER_BYTES; i < tokens.length; i++, at += 2) {
    tokens[i] = view.getUint16(at, true);
    if (tokens[i]! >= vocabularySize) throw new Error(`token ${tokens[i]} at ${i} is not below the vocabulary size ${vocabularySize}`);
  }
  return { tokens, rows, width, vocabularySize };
}
