import type { Shard } from "./fragment";
import { hash32 } from "./prng";

/**
 * A seeded toy classification problem (for tests and benchmarks): each class has a centre in feature space;
 * rows are centre + noise, so an MLP can learn it within a few steps.
 */
export function toyShard(rows: number, inputs: number, classes: number, seed: number): Shard {
  const features = new Float32Array(rows * inputs);
  const labels = new Uint32Array(rows);
  const u = (s: number, i: number) => hash32(seed, s, i) / 4294967296 - 0.5;
  for (let r = 0; r < rows; r++) {
    const y = hash32(seed, 1, r) % classes;
    labels[r] = y;
    for (let c = 0; c < inputs; c++) features[r * inputs + c] = 2 * u(100 + y, c) + 0.5 * u(2, r * inputs + c);
  }
  return { features, labels };
}
