// A text corpus split into training and validation streams, with the vocabulary of its training split.
// Isomorphic: built-ins (lib/datasets/text/builtin.ts) and uploads (./upload.ts) both end here.
//
// Streams are strings whose boundary character "\n" is token 0. Two shapes:
// - examples (names, Brown sentences, uploaded lines): the stream is "\n" + each example + "\n", so every
//   example is preceded and followed by the boundary and a model learns how examples start and end.
// - stream (an uploaded text taken as it is): its own newlines are the boundary token.
//
// Splits (both deterministic, no seed: a dataset's validation split is fixed, like MNIST's):
// - by example: an example is held out when fnv1a32(its UTF-8 bytes) mod 10 = 0 (≈ 10 %). Equal examples
//   land on the same side, so a repeated line never leaks from training into validation; adding or
//   removing other examples never moves one across.
// - stream: the last 10 % of the code points are held out; when that cut falls inside a line and a later
//   line exists, it moves forward to just after the line's "\n" (validation starts at a line start).
//   Contiguous, so no window of the training split overlaps the validation text.
//
// Unseen characters: the vocabulary comes from the training split only. A validation example (for a
// stream: a validation line) holding a character the training split never shows is DROPPED from the
// validation split, and counted in `stats.droppedValidationExamples` with the characters listed in
// `stats.unseenCharacters`: no unknown token, and no example altered by deleting characters from it.
import { TextError } from "./errors";
import { BOUNDARY, buildVocabulary, createTokenizer } from "./vocab";

/** One validation bucket out of this many (10 → ≈ 10 % held out). */
export const VALIDATION_BUCKETS = 10;
/** Share of a stream's code points held out at its end. */
export const STREAM_VALIDATION_FRACTION = 0.1;

export type TextCorpus = {
  /** Training stream ("\n" is the boundary token). */
  train: string;
  /** Validation stream, every character of it in `vocabulary`. */
  validation: string;
  /** Boundary first, then the training split's characters by code point (lib/datasets/text/vocab.ts). */
  vocabulary: string[];
  stats: {
    trainExamples: number;
    validationExamples: number;
    droppedValidationExamples: number;
    unseenCharacters: string[];
  };
};

/** FNV-1a, 32 bits, over the UTF-8 bytes of `s`: offset basis 0x811c9dc5, prime 0x01000193. */
const utf8 = new TextEncoder();
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (const b of utf8.encode(s)) {
    h ^= b;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export const isValidationExample = (example: string): boolean => fnv1a32(example) % VALIDATION_BUCKETS === 0;

/** "\n" + each example + "\n" (an empty list gives ""). */
export const joinExamples = (examples: readonly string[]): string => (examples.length === 0 ? "" : BOUNDARY + examples.join(BOUNDARY) + BOUNDARY);

/** Drops the validation examples the training vocabulary cannot encode; reports them. */
function keepCovered(vocabulary: string[], validation: readonly string[]) {
  const tok = createTokenizer(vocabulary);
  const known = new Set(vocabulary);
  const unseen = new Set<string>();
  const kept: string[] = [];
  for (const e of validation) {
    if (tok.covers(e)) kept.push(e);
    else for (const c of e) if (!known.has(c)) unseen.add(c);
  }
  return { kept, dropped: validation.length - kept.length, unseen: [...unseen].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!) };
}

/**
 * Examples (none may contain "\n") → corpus. `heldOut(example, index)` decides the side; by default the
 * fnv1a32 bucket above. Order within each side is the input order.
 */
export function corpusFromExamples(examples: Iterable<string>, heldOut: (example: string, index: number) => boolean = isValidationExample): TextCorpus {
  const train: string[] = [];
  const validation: string[] = [];
  let i = 0;
  for (const e of examples) {
    if (e.includes(BOUNDARY)) throw new Error(`example ${i} contains the boundary "\\n"`);
    (heldOut(e, i++) ? validation : train).push(e);
  }
  const vocabulary = buildVocabulary(train);
  const { kept, dropped, unseen } = keepCovered(vocabulary, validation);
  return {
    train: joinExamples(train),
    validation: joinExamples(kept),
    vocabulary,
    stats: { trainExamples: train.length, validationExamples: kept.length, droppedValidationExamples: dropped, unseenCharacters: unseen },
  };
}

/** Code points of `s` (as `for…of` counts them), stopping at `limit`. */
function codePoints(s: string, limit = Infinity): number {
  let n = 0;
  for (let i = 0; i < s.length && n < limit; i++, n++) if (s.codePointAt(i)! > 0xffff) i++;
  return n;
}

/** A text taken as one stream → corpus, its tail held out (see the header). */
export function corpusFromStream(text: string): TextCorpus {
  const target = Math.floor(codePoints(text) * (1 - STREAM_VALIDATION_FRACTION));
  let cut = 0;
  for (let p = 0; p < target; p++) cut += text.codePointAt(cut)! > 0xffff ? 2 : 1;
  if (cut > 0 && text[cut - 1] !== BOUNDARY) {
    const nl = text.indexOf(BOUNDARY, cut);
    if (nl >= 0 && nl + 1 < text.length) cut = nl + 1;
  }
  const train = text.slice(0, cut);
  const vocabulary = buildVocabulary([train]);
  const lines = text.slice(cut).split(BOUNDARY);
  const { kept, dropped, unseen } = keepCovered(vocabulary, lines);
  const nonEmpty = (ls: string[]) => ls.filter((l) => l !== "").length;
  return {
    train,
    validation: kept.join(BOUNDARY),
    vocabulary,
    stats: { trainExamples: nonEmpty(train.split(BOUNDARY)), validationExamples: nonEmpty(kept), droppedValidationExamples: dropped, unseenCharacters: unseen },
  };
}

/** Both streams as token ids with the corpus's own vocabulary. */
export function encodeCorpus(corpus: TextCorpus): { train: Uint32Array; validation: Uint32Array } {
  const tok = createTokenizer(corpus.vocabulary);
  return { train: tok.encode(corpus.train), validation: tok.encode(corpus.validation) };
}

/** Refuses a corpus too small to train and validate on (each stream needs at least one token pair). */
export function assertUsable(corpus: TextCorpus): void {
  if (codePoints(corpus.train, 2) < 2 || codePoints(corpus.validation, 2) < 2) {
    throw new TextError(
      "text_too_small",
      `too little text to split: the training split has ${corpus.stats.trainExamples} and the validation split ${corpus.stats.validationExamples} example(s)` +
        (corpus.stats.droppedValidationExamples ? ` (${corpus.stats.droppedValidationExamples} validation example(s) dropped for characters training never shows)` : ""),
      { trainExamples: corpus.stats.trainExamples, validationExamples: corpus.stats.validationExamples },
    );
  }
}
