// The wire contract workers build against, in one place: the fragments API's request and response
// shapes, the EIP-712 result and WorkerAuth signatures and their headers, the delta layout and loss
// bits, the job's training spec (`specOf`), how a fragment's inputs are built from its blobs, the
// proof check, and the Compute-PoC answer format. Isomorphic: the server, the browser worker, the CLI
// worker and the browser re-verifier all import it, so nothing here may import server-only code.
export * from "./fragments";
export { mlpOf, gptOf, ModelKindError, modelParameterCount, initialWeights, modelFragmentFlops, fragmentWorkUnits, resultValueCount, normalisedShard, tokenShard, fragmentInput, gptFragmentInput, referenceFragment } from "./inputs";
export { inferenceSchema, trainingSpecSchema, modelSpecSchema, mlpModelSchema, gptModelSchema, adamwSchema, ADAMW, specOf, MalformedSpecError } from "./spec";
export type { InferenceSection, TrainingSpec, ModelSpec, MlpModelSpec, GptModelSpec } from "./spec";
export { checkProof, proofRoot, reverifyFragment } from "./proof-check";
export type { Proof, RootRound, ProofRound, ProofFragment, FragmentCheck, FragmentCheckStage, FragmentVerdict } from "./proof-check";
export { decodeProduct, encodeProduct } from "./compute-poc";
export {
  classificationProblem, classificationsAgree, classifierWidth, decodeClassifications, encodeClassifications, INFERENCE_TOLERANCE, inferenceFragmentFlops,
  inferenceOutputsAgree, inferenceResultLength, inferenceResultProblem, isInferenceSpec, isTokenInference, maxTokensOf, referenceInference,
} from "./inference";
export {
  continuationProblem, continuationsAgree, continuationWidth, continueGreedy, decodeContinuations, decodePromptShard, encodeContinuations, encodePromptShard,
  gptInferenceFlops, greedyToken, PROMPT_MAGIC, referenceContinuations, referenceWindowLogits,
} from "./inference-tokens";
export type { PromptShard, WindowLogits } from "./inference-tokens";
export type { Classification, InferenceSpec } from "./inference";
export { ApiCallError, apiCallError, createApiClient, rawBody } from "./api-client";
export type { ApiClient, ApiErrorBody, ApiPaths, ApiSchemas } from "./api-client";
