import { describe, expect, it } from "vitest";
import { assertUsable, corpusFromExamples, corpusFromStream, encodeCorpus, fnv1a32, isValidationExample, joinExamples } from "./corpus";
import { TextError } from "./errors";
import { createTokenizer } from "./vocab";

describe("text corpus and its split", () => {
  it("fnv1a32 matches the published FNV-1a test vectors (other languages must agree)", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
  });

  it("splits examples by their hash: deterministic, order-free, equal examples on one side", () => {
    const names = Array.from({ length: 2000 }, (_, i) => `n${i.toString(36)}`);
    const a = corpusFromExamples(names);
    const b = corpusFromExamples([...names].reverse());
    const held = names.filter(isValidationExample);
    expect(held.length).toBeGreaterThan(120); // ≈ 10 % of 2,000
    expect(held.length).toBeLessThan(280);
    expect(a.stats.validationExamples).toBe(held.length);
    expect(a.stats.trainExamples).toBe(names.length - held.length);
    expect(a.validation).toBe(joinExamples(held));
    expect(new Set(b.validation.split("\n"))).toEqual(new Set(a.validation.split("\n"))); // same sides in any order
    const dup = corpusFromExamples([...names, ...names]);
    const trained = new Set(dup.train.split("\n"));
    expect(dup.validation.split("\n").filter((l) => l !== "" && trained.has(l))).toEqual([]);
    expect(dup.stats.validationExamples).toBe(2 * held.length);
  });

  it("joins examples with the boundary before, between and after", () => {
    const c = corpusFromExamples(["ab", "ba", "c"], (_, i) => i === 2);
    expect(c.train).toBe("\nab\nba\n");
    expect(c.validation).toBe(""); // "c" is not in the training vocabulary: dropped
    expect(c.vocabulary).toEqual(["\n", "a", "b"]);
    expect(c.stats).toEqual({ trainExamples: 2, validationExamples: 0, droppedValidationExamples: 1, unseenCharacters: ["c"] });
    expect(() => assertUsable(c)).toThrow(TextError);
    expect(() => corpusFromExamples(["a\nb"])).toThrow(/boundary/);
  });

  it("drops validation examples with characters training never shows, keeps the rest", () => {
    const c = corpusFromExamples(["abc", "cab", "bad", "ab", "xa"], (_, i) => i >= 2);
    expect(c.vocabulary).toEqual(["\n", "a", "b", "c"]);
    expect(c.validation).toBe("\nab\n");
    expect(c.stats.droppedValidationExamples).toBe(2);
    expect(c.stats.unseenCharacters).toEqual(["d", "x"]);
    const { train, validation } = encodeCorpus(c);
    expect(Array.from(validation)).toEqual([0, 1, 2, 0]);
    expect(createTokenizer(c.vocabulary).decode(train)).toBe(c.train);
    expect(() => assertUsable(c)).not.toThrow();
  });

  it("holds out a stream's tail, cut after the next line break", () => {
    const text = Array.from({ length: 20 }, (_, i) => `line ${String.fromCharCode(97 + (i % 5))}`).join("\n") + "\n"; // 20 lines of 6 characters + "\n"
    const c = corpusFromStream(text);
    expect(c.train + c.validation).toBe(text);
    expect(c.train.endsWith("\n")).toBe(true);
    expect(c.train.length).toBeGreaterThanOrEqual(Math.floor(text.length * 0.9));
    expect(c.validation).toBe("line d\nline e\n"); // cut at 126, a line start: kept
    // 28 characters: 90 % is 25, inside the line "ba" (the "\n" at 25 ends it): moved to 26.
    expect(corpusFromStream("a".repeat(19) + "\nab\nba\nab").validation).toBe("ab");
    expect(corpusFromStream(text)).toEqual(c);
    // No line break after the cut: the cut stays at 90 % of the code points (astral ones count once).
    const one = "𝄞".repeat(5) + "ab".repeat(10);
    const d = corpusFromStream(one);
    expect([...d.validation].length).toBe(3);
    expect(d.train + d.validation).toBe(one);
    expect(d.vocabulary).toEqual(["\n", "a", "b", "𝄞"]);
  });

  it("drops a validation line of a stream when it holds an unseen character", () => {
    const text = "ab ba\n".repeat(9) + "ab\nxy\nba";
    const c = corpusFromStream(text);
    expect(c.stats.unseenCharacters).toEqual(["x", "y"]);
    expect(c.validation.includes("x")).toBe(false);
    expect(createTokenizer(c.vocabulary).covers(c.validation)).toBe(true);
  });
});
