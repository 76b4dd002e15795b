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
  // A bitmap over the Basic Multilingual Plane, a Set beyond it: no string per character (texts run to 50 MB).
  const bmp = new Uint8Array(0x10000 >> 3);
  const astral = new Set<number>();
  for (const text of texts) {
    for (let i = 0; i < text.length; i++) {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) {
        astral.add(cp);
        i++;
      } else bmp[cp >> 3]! |= 1 << (cp & 7);
    }
  }
  const points: number[] = [];
  for (let cp = 0; cp < 0x10000; cp++) if (bmp[cp >> 3]! & (1 << (cp & 7)) && cp !== 0x0a) points.push(cp);
  points.push(...[...astral].sort((a, b) => a - b));
  return [BOUNDARY, ...points.map((cp) => String.fromCodePoint(cp))];
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
  // Ids by code unit for the Basic Multilingual Plane (−1: none), a Map for astral characters.
  const bmp = new Int32Array(0x10000).fill(-1);
  const astral = new Map<number, number>();
  vocabulary.forEach((c, i) => {
    const cp = c.codePointAt(0);
    if (cp === undefined || String.fromCodePoint(cp) !== c) throw new Error(`vocabulary entry ${i} is not one character`);
    if (cp > 0xffff ? astral.has(cp) : bmp[cp] !== -1) throw new Error(`vocabulary repeats ${showChar(c)}`);
    if (cp > 0xffff) astral.set(cp, i);
    else bmp[cp] = i;
  });
  /** Id of a code point, or −1. */
  const idOf = (cp: number) => (cp > 0xffff ? (astral.get(cp) ?? -1) : bmp[cp]!);
  return {
    vocabulary,
    size: vocabulary.length,
    encode(text) {
      // Code points ≤ UTF-16 units, so text.length bounds the output; trimmed once at the end.
      const out = new Uint32Array(text.length);
      let n = 0;
      for (let i = 0; i < text.length; i++) {
        const cp = text.codePointAt(i)!;
        const id = idOf(cp);
        if (id < 0) {
          const c = String.fromCodePoint(cp);
          throw new TextError("text_unknown_character", `character ${showChar(c)} at offset ${i} is not in the vocabulary`, { offset: i, codePoint: cp });
        }
        out[n++] = id;
        if (cp > 0xffff) i++;
      }
      return n === out.length ? out : out.slice(0, n);
    },
    decode(tokens) {
      const parts: string[] = [];
      for (let i = 0; i < tokens.length; i++) {
        const c = vocabulary[tokens[i]!];
        if (c === undefined) throw new RangeError(`token ${tokens[i]} is outside a vocabulary of ${vocabulary.length}`);
        parts.push(c);
      }
      return parts.join("");
    },
    covers(text) {
      for (let i = 0; i < text.length; i++) {
        const cp = text.codePointAt(i)!;
        if (idOf(cp) < 0) return false;
        if (cp > 0xffff) i++;
      }
      return true;
    },
  };
}
