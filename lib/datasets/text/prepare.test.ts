import { describe, expect, it } from "vitest";
import { bigramWindowsLoss, fitBigram } from "./bigram";
import { corpusFromExamples, encodeCorpus } from "./corpus";
import { TextError } from "./errors";
import { prepareText } from "./prepare";
import { decodeTokenShard, encodeTokenShard } from "./shard";
import { createTokenizer } from "./vocab";
import { windowsOf } from "./windows";

describe("prepareText", () => {
  const corpus = corpusFromExamples(Array.from({ length: 400 }, (_, i) => `ex${(i * 37) % 101}${"abc"[i % 3]}`));

  it("gives the vocabulary, S shards of training windows, the validation windows and the bigram baseline", () => {
    const p = prepareText(corpus, { context: 8, seed: 3, shards: 4 });
    const { train, validation } = encodeCorpus(corpus);
    expect(p.vocabulary).toBe(corpus.vocabulary);
    expect(p.shards.length).toBe(4);
    expect(p.shards.reduce((n, s) => n + s.rows, 0)).toBe(windowsOf(train, 8).rows);
    expect(p.shards.every((s) => s.width === 9)).toBe(true);
    expect(p.heldOut).toEqual(windowsOf(validation, 8));
    expect(p.baseline).toEqual({ bigramLoss: bigramWindowsLoss(fitBigram(train, corpus.vocabulary.length), p.heldOut), alpha: 1 });
    expect(prepareText(corpus, { context: 8, seed: 3, shards: 4 })).toEqual(p);
    // A shard survives its blob and decodes to text of the corpus.
    const back = decodeTokenShard(encodeTokenShard(p.shards[0]!, p.vocabulary.length));
    expect(back.tokens).toEqual(p.shards[0]!.tokens);
    expect(corpus.train).toContain(createTokenizer(p.vocabulary).decode(back.tokens.subarray(0, 9)));
  });

  it("refuses a context that leaves a shard or the validation split without a window", () => {
    expect(() => prepareText(corpus, { context: 10_000, seed: 1, shards: 1 })).toThrow(TextError);
    expect(() => prepareText(corpus, { context: 8, seed: 1, shards: 100_000 })).toThrow(/text_too_small|window/);
  });
});
