// The compute library: the maths of a training fragment on three backends (reference, WASM SIMD, WebGPU),
// the round's outer optimizer, and the Compute-PoC. Importable in Node and in browsers (no server-only code).
export { forwardFlops, fragmentFlops, initWeights, layerSlices, parameterCount, stepFlops, validateSpec } from "./model";
export type { Activation, LayerSlice, MlpSpec } from "./model";
export { batchIndices, fragmentSeed, hash32, mix32, uniformBelow } from "./prng";
export { FragmentInputError, runInChunks, validateFragment } from "./fragment";
export type { FragmentInput, FragmentResult, Shard, StepPacer } from "./fragment";
export { evaluate, runFragmentReference } from "./reference";
export type { Evaluation } from "./reference";
export { runFragmentWasm, pocProductWasm } from "./wasm";
export { meanDelta, outerStep } from "./outer";
export type { OuterOptimizer, OuterState } from "./outer";
export { FREIVALDS_ROUNDS, pocMatrices, pocOps, pocProductCpu, verifyPocProduct } from "./poc";
export type { PocChallenge } from "./poc";
export { compareWeights } from "./compare";
export type { WeightDifference } from "./compare";
export { getGpu, pocProductWebGpu, runFragmentWebGpu, WebGpuTrainer, WebGpuUnavailableError } from "./webgpu";
export type { GpuContext } from "./webgpu";
export { WasmKernels, WasmTrainer } from "./wasm";
export { runFragment } from "./run-fragment";
export type { Backend } from "./run-fragment";
// The GPT workload (decoder-only transformer): model layout, CPU reference fragment, evaluation, sampling.
export { GPT_LIMITS, gptDecayMask, gptForwardFlops, gptFragmentFlops, gptParameterCount, gptSlices, gptStepFlops, initGptWeights, validateGptSpec } from "./gpt/model";
export type { GptLayerSlices, GptLayout, GptSlice, GptSpec } from "./gpt/model";
export { addWindowLosses, evaluateGpt, GPT_MAX_BATCH, gptForward, gptLoss, gptLossAndGradient, runGptFragmentReference, validateGptFragment } from "./gpt/reference";
export type { GptEvaluation, GptFragmentInput, GptShard, GptTokens } from "./gpt/reference";
export { sampleGpt } from "./gpt/sample";
export type { GptSampleOptions } from "./gpt/sample";
export { evaluateGptWasm, GptWasmTrainer, runGptFragmentWasm } from "./wasm/gpt";
export { GptWebGpuTrainer, gptLargestBuffer, runGptFragmentWebGpu, WebGpuFragmentError } from "./webgpu/gpt";
// The GPT step's constants, for baselines written outside this library (bench:kernels' tfjs model).
export { ADAM_BETA1, ADAM_BETA2, ADAM_EPS, adamBiasCorrections, CLIP_EPS, CLIP_MAX_NORM, WEIGHT_DECAY } from "./kernels/adamw";
export { attentionScale } from "./kernels/attention";
export { GELU_C, GELU_K } from "./kernels/gelu";
export { LAYER_NORM_EPS } from "./kernels/layernorm";
export { MAX_SHARD_ROWS } from "./prng";
export { toyShard } from "./test-data";
// Inference (the model registry's Try it panel): an MLP's forward pass on the three backends.
export { mlpLogits, MlpWasmPredictor, softmaxRows } from "./predict";
export { MlpWebGpuPredictor } from "./webgpu/predict";
