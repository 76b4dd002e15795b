// The character vocabulary of a GPT job and its tokenizer. Isomorphic: workers and pages decode samples
// with the same table the job's spec stores.
//
// Vocabulary: a string array, one entry per token id. Entry 0 is the boundary token "\n" (it separates
// examples, and a newline in uploaded text is the same token); entries 1… are the other characters of
// the TRAINING split, sorted by code point (so the same text always gives the same ids). A character is
// one Unicode code point ("é" precomposed is one token; "e" + U+0301 are two).
import { z } from "zod";
import { showChar, TextError } from "./errors";

export const BOUNDARY = "\n";
export const BOUNDARY_ID = 0;
/** Most distinct characters an uploaded text may use (boundary included): ids fit in one byte. */
export const MAX_VOCABULARY = 256;

const byCodePoint = (a: string, b: string) => a.codePointAt(0)! - b.codePointAt(0)!;

/** Every distinct code point of `texts`, boundary first, then the rest by code point. */
export function buildVocabulary(texts: Iterable<string>): string[] {
  const seen = new Set<string>();
  for (const text of texts) for (const c of text) seen.add(c);
  seen.delete(BOUNDARY);
  return [BOUNDARY, ...[...seen].sort(byCodePoint)];
}

/** How a vocabulary is written in a job's spec: boundary first, then single code points, strictly increasing. */
export const vocabularySchema = z
  .array(z.string())
  .min(2)
  .max(65_536)
  .superRefine((v, ctx) => {
    if (v[0] !== BOUNDARY) ctx.addIssue({ code: "custom", message: 'entry 0 must be the boundary token "\\n"' });
    for (let i = 1; i < v.length; i++) {
      const c = v[i]!;
      if ([...c].length !== 1 || c === BOUNDARY) {
        ctx.addIssue({ code: "custom", path: [i], message: "each entry after the boundary is one character (code point), not the boundary" });
        return;
      }
      if (i > 1 && byCodePoint(v[i - 1]!, c) >= 0) {
        ctx.addIssue({ code: "custom", path: [i], message: "entries after the boundary must be sorted by code point, without repeats" });
        return;
      }
    }
  });

export type Tokenizer = {
  vocabulary: readonly string[];
  size: number;
  /** Text → ids; a character outside the vocabulary throws `text_unknown_character`. */
  encode(text: string): Uint32Array;
  /** Ids → text; an id ≥ size throws a RangeError (a bug, not bad input). */
  decode(ids: ArrayLike<number>): string;
  /** Whether every character of `text` has an id. */
  covers(text: string): boolean;
};

export function createTokenizer(vocabulary: readonly string[]): Tokenizer {
  const ids = new Map<string, number>();
  vocabulary.forEach((c, i) => {
    if (ids.has(c)) throw new Error(`vocabulary repeats ${showChar(c)}`);
    ids.set(c, i);
  });
  return {
    vocabulary,
    size: vocabulary.length,
    encode(text) {
      // Code points ≤ UTF-16 units, so text.length bounds the output; trimmed once at the end.
      const out = new Uint32Array(text.length);
      let n = 0;
      let at = 0;
      for (const c of text) {
        const id = ids.get(c);
        if (id === undefined) {
          throw new TextError("text_unknown_character", `character ${showChar(c)} at offset ${at} is not in the vocabulary`, { offset: at, codePoint: c.codePointAt(0) });
        }
        out[n++] = id;
        at += c.length;
      }
      return n === out.length ? out : out.slice(0, n);
    },
    decode(tokens) {
      let s = "";
      for (let i = 0; i < tokens.length; i++) {
        const c = vocabulary[tokens[i]!];
        if (c === undefined) throw new RangeError(`token ${tokens[i]} is outside a vocabulary of ${vocabulary.length}`);
        s += c;
      }
      return s;
    },
    covers(text) {
      for (const c of text) if (!ids.has(c)) return false;
      return true;
    },
  };
}
