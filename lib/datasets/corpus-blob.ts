// The blob of a text dataset: its split corpus as UTF-8 JSON (see ./text-datasets.ts). No server-only
// imports: an upload's worker thread (./parse-worker.ts) encodes it there, off the request event loop.
import type { TextCorpus } from "./text";

export const CORPUS_FORMAT = "corex-text-corpus/1";

export function encodeCorpus(c: TextCorpus): Uint8Array {
  const { train, validation, vocabulary, stats } = c;
  return new TextEncoder().encode(JSON.stringify({ format: CORPUS_FORMAT, train, validation, vocabulary, stats }));
}
