// The demo MNIST job: what `npm run dev` seeds and `npm run bench:quality` trains, so the figures in
// README → Benchmarks are the ones a newcomer's demo job reaches. Tuned so that training through the
// network (S shards of K local steps, averaged by the outer optimizer) matches one process running plain
// SGD on the same number of samples — why each value is what it is:
//  - learningRate 0.1, batch 32: the best plain-SGD setting on these 8,000 rows (0.05 plateaus ≈ 0.5 point lower).
//  - shards 8 × localSteps 25: a fragment is 800 samples, a tenth of an epoch per shard; longer local runs
//    (K = 50, 100 at equal samples) drift apart and lose 0.3–0.9 point after averaging.
//  - outerLearningRate 0.8, outerMomentum 0.9 (DiLoCo's Nesterov): plain averaging (1 / 0) trailed by
//    ≈ 0.6 point at equal samples; momentum carries the round-to-round direction that averaging shrinks.
//  - rounds 32: 32 × 8 × 25 × 32 = 204,800 samples ≈ 25.6 epochs, where plain SGD has levelled off.
import type { CreateJobInput } from "./schemas";

export const DEMO_MNIST_JOB = {
  dataset: "mnist",
  model: { kind: "mlp", hidden: [128], activation: "relu" },
  hyper: { rounds: 32, shards: 8, localSteps: 25, batch: 32, learningRate: 0.1, outerLearningRate: 0.8, outerMomentum: 0.9, seed: 42 },
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
