// The demo MNIST job: what `npm run dev` seeds and `npm run bench:quality` trains, so the figures in
// docs/development/benchmarks/quality.md figures are the ones a newcomer's demo job reaches. Tuned so that training through the
// network (S shards × K local steps, deltas averaged by the outer optimizer) matches one process running
// plain SGD on the same number of samples. Measured with an in-process replica of the round (same shards,
// batch orders and outer step), network held-out accuracy over job seeds 1 / 3 / 7 / 42:
//  - learningRate 0.1, batch 32: the best plain-SGD setting on these 8,000 rows (0.05 levels off ≈ 0.5
//    point lower; 0.2 about the same, batch 64 at 0.1 or 0.2 lower).
//  - outerLearningRate 0.6, outerMomentum 0.9 (DiLoCo's Nesterov): 95.15–95.95 (mean 95.55) against
//    95.55–95.85 single-process. Plain averaging (1 / 0) trailed by ≈ 0.7 point: momentum carries the
//    round-to-round direction that averaging S deltas shrinks. 0.8 / 0.9 fell to 94.95 on one seed.
//  - shards 8 × localSteps 20: 640 samples per fragment. Longer local runs at equal samples drift apart
//    before averaging: K = 50 lost ≈ 0.3 point, K = 100 ≈ 0.9.
//  - rounds 40: 40 × 8 × 20 × 32 = 204,800 samples ≈ 25.6 epochs, where plain SGD has levelled off.
import type { CreateJobInput } from "./schemas";

export const DEMO_MNIST_JOB = {
  dataset: "mnist",
  model: { kind: "mlp", hidden: [128], activation: "relu" },
  hyper: { rounds: 40, shards: 8, localSteps: 20, batch: 32, learningRate: 0.1, outerLearningRate: 0.6, outerMomentum: 0.9, seed: 42 },
} as const satisfies CreateJobInput;

/**
 * The small demo job the e2e server seeds (`DEV_DEMO_JOB=small`): 5 rounds × 8 shards = 40 fragments of a
 * 784-64-10 MLP, so CI specs that train it stay quick. Same data and normalisation as the full one.
 */
export const SMALL_DEMO_MNIST_JOB = {
  dataset: "mnist",
  model: { kind: "mlp", hidden: [64], activation: "relu" },
  hyper: { rounds: 5, shards: 8, localSteps: 20, batch: 32, learningRate: 0.05, outerLearningRate: 1, outerMomentum: 0, seed: 42 },
} as const satisfies CreateJobInput;

/**
 * The language-model demo `npm run dev` seeds beside the MNIST one: a character model of the built-in names
 * at the issue's demo size (2 layers, 4 heads, dim 64, context 16: ≈ 102k parameters with the 27-character
 * vocabulary). AdamW inside at 3e-3 (the usual rate for a model this small), Nesterov outside as for MNIST.
 * 10 rounds × 4 shards × 25 steps × 16 windows ≈ 16,000 windows ≈ 4 passes over the names' training split.
 */
export const DEMO_NAMES_JOB = {
  dataset: "names",
  model: { kind: "gpt", layers: 2, heads: 4, dim: 64, context: 16 },
  hyper: { rounds: 10, shards: 4, localSteps: 25, batch: 16, learningRate: 0.003, outerLearningRate: 0.7, outerMomentum: 0.9, seed: 42 },
} as const satisfies CreateJobInput;
