// A registry model loaded for inference in a browser (the Try it panel's Web Worker) or in Node (tests):
// an MLP classifies on WebGPU where an adapter exists, else on WebAssembly SIMD; a language model generates
// on WebAssembly SIMD (GptWasmTrainer's forward pass, the path that is bit-identical to the reference).
import { GptWasmTrainer, mlpLogits, MlpWasmPredictor, MlpWebGpuPredictor, softmaxRows, WasmKernels } from "@/lib/compute";
import { expectedTensors, gptSpecOf, mlpSpecOf, type GptConfig, type MlpConfig, type ModelConfig } from "./config";
import { encodePrefix, generateTokens, type GenerateOptions } from "./generate";
import { readSafetensors } from "./safetensors";

export type InferenceBackend = "webgpu" | "wasm" | "cpu";

export type Classifier = {
  kind: "classifier";
  backend: InferenceBackend;
  /** Class probabilities of one raw input row (before normalisation). */
  classify(raw: Float32Array): Promise<number[]>;
};
export type Generator = {
  kind: "generator";
  backend: InferenceBackend;
  /** The text that continues `prefix` (without it). */
  generate(prefix: string, options: GenerateOptions): Promise<string>;
};
export type LoadedModel = Classifier | Generator;

/** x' = fround((x − mean_j) / std_j) in float64, as workers normalise a job's shards. */
export function normaliseRow(config: MlpConfig, raw: Float32Array): Float32Array {
  const n = config.layers[0]!;
  if (raw.length !== n) throw new RangeError(`expected ${n} inputs, got ${raw.length}`);
  const norm = config.normalisation;
  if (!norm) return Float32Array.from(raw);
  return Float32Array.from(raw, (x, j) => (x - norm.mean[j]!) / norm.std[j]!);
}

async function classifier(config: MlpConfig, weights: Float32Array, useGpu: boolean): Promise<Classifier> {
  const spec = mlpSpecOf(config);
  const classes = config.layers[config.layers.length - 1]!;
  const probabilities = (logits: Float32Array) => Array.from(softmaxRows(logits, classes));
  if (useGpu) {
    const gpu = await MlpWebGpuPredictor.create(spec, weights).catch(() => null);
    if (gpu) return { kind: "classifier", backend: "webgpu", classify: async (raw) => probabilities(await gpu.logits(normaliseRow(config, raw), 1)) };
  }
  const wasm = await MlpWasmPredictor.create(spec, weights).catch(() => null);
  if (wasm) return { kind: "classifier", backend: "wasm", classify: async (raw) => probabilities(wasm.logits(normaliseRow(config, raw), 1)) };
  return { kind: "classifier", backend: "cpu", classify: async (raw) => probabilities(mlpLogits(spec, weights, normaliseRow(config, raw), 1)) };
}

async function generator(config: GptConfig, weights: Float32Array): Promise<Generator> {
  const spec = gptSpecOf(config);
  const trainer = new GptWasmTrainer(await WasmKernels.create(), spec, 1);
  trainer.setWeights(weights);
  const width = spec.context + 1;
  // Attention is causal: the logits at position L − 1 of a window padded to the context are those of the
  // L-token window alone, so one fixed-size program serves every length.
  const logits = (window: number[]) => {
    const tokens = new Uint32Array(width);
    tokens.set(window);
    return trainer.logitsOf(tokens, 0, 1).slice((window.length - 1) * spec.vocab, window.length * spec.vocab);
  };
  return {
    kind: "generator",
    backend: "wasm",
    async generate(prefix, options) {
      const ids = await generateTokens(config, logits, encodePrefix(config, prefix), options);
      return ids.map((id) => config.vocabulary[id]).join("");
    },
  };
}

/** Checks the file against the config (as the upload route did) and readies the model on the best backend. */
export async function loadModel(config: ModelConfig, bytes: Uint8Array, { gpu = true }: { gpu?: boolean } = {}): Promise<LoadedModel> {
  const { weights } = readSafetensors(bytes, expectedTensors(config));
  return config.kind === "gpt" ? generator(config, weights) : classifier(config, weights, gpu);
}
