import { describe, expect, it } from "vitest";
import { TextError } from "./errors";
import { BOUNDARY, buildVocabulary, createTokenizer, vocabularySchema } from "./vocab";

describe("character vocabulary", () => {
  it("puts the boundary first, then the distinct characters by code point", () => {
    expect(buildVocabulary(["cab", "b\na", "é𝄞"])).toEqual(["\n", "a", "b", "c", "é", "𝄞"]);
    expect(buildVocabulary([])).toEqual([BOUNDARY]);
  });

  it("encodes and decodes round trip, astral characters as one token", () => {
    const text = "\nabc é𝄞\nca\n";
    const tok = createTokenizer(buildVocabulary([text]));
    const ids = tok.encode(text);
    expect(ids).toBeInstanceOf(Uint32Array);
    expect(ids.length).toBe([...text].length);
    expect(Array.from(tok.encode("\nab"))).toEqual([0, 2, 3]);
    expect(tok.decode(ids)).toBe(text);
    expect(() => tok.decode([tok.size])).toThrow(RangeError);
    expect(() => createTokenizer(["\n", "ab"])).toThrow(/one character/);
    expect(() => createTokenizer(["\n", "a", "a"])).toThrow(/repeats/);
  });

  it("refuses a character outside the vocabulary with a classified error naming it", () => {
    const tok = createTokenizer(buildVocabulary(["abc"]));
    let err: unknown;
    try {
      tok.encode("abxc");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TextError);
    expect((err as TextError).code).toBe("text_unknown_character");
    expect((err as TextError).status).toBe(422);
    expect((err as TextError).message).toContain('"x"');
    expect((err as TextError).details).toEqual({ offset: 2, codePoint: 0x78 });
    expect(tok.covers("cab\n")).toBe(true);
    expect(tok.covers("cabx")).toBe(false);
    expect(createTokenizer(buildVocabulary(["a𝄞"])).encode("𝄞a𝄞")).toEqual(Uint32Array.of(2, 1, 2));
    expect(() => createTokenizer(buildVocabulary(["a"])).encode("a😀")).toThrow(/U\+1F600/);
  });

  it("the spec schema accepts built vocabularies and refuses malformed ones", () => {
    expect(vocabularySchema.safeParse(buildVocabulary(["hello world"])).success).toBe(true);
    expect(vocabularySchema.safeParse(["a", "\n"]).success).toBe(false); // boundary not first
    expect(vocabularySchema.safeParse(["\n", "b", "a"]).success).toBe(false); // unsorted
    expect(vocabularySchema.safeParse(["\n", "a", "a"]).success).toBe(false); // repeated
    expect(vocabularySchema.safeParse(["\n", "ab"]).success).toBe(false); // two characters
    expect(vocabularySchema.safeParse(["\n"]).success).toBe(false); // nothing to model
  });
});
