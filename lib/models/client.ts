// The model registry's isomorphic surface: the config schema, the safetensors reader and validator, and
// inference (the Try it panel's worker). No server or Node imports: browsers load it.
export {
  architectureOf, expectedTensors, gptConfigSchema, gptSpecOf, mlpConfigSchema, mlpSpecOf, modelConfigSchema, parametersOf, tryItKind,
} from "./config";
export type { ExpectedTensor, GptConfig, MlpConfig, ModelConfig, ModelKind } from "./config";
export {
  checkTensors, MAX_HEADER_BYTES, parseSafetensorsHeader, readSafetensors, SafetensorsError, safetensorsErrorCodes, SafetensorsValidator,
} from "./safetensors";
export type { HeaderTensor, SafetensorsErrorCode, SafetensorsHeader, SafetensorsProblem } from "./safetensors";
export { digitImage, type Raster } from "./digit";
export { formatBytes } from "./format";
export { encodePrefix, generateTokens, VocabularyError, type GenerateOptions, type NextTokenLogits } from "./generate";
export { loadModel, normaliseRow, type Classifier, type Generator, type InferenceBackend, type LoadedModel } from "./inference";
