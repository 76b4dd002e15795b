// Text data for GPT jobs (isomorphic: no server-only imports here; the package loaders are in ./builtin).
export { textErrorCodes, TextError, type TextErrorCode } from "./errors";
export { BOUNDARY, BOUNDARY_ID, MAX_VOCABULARY, buildVocabulary, createTokenizer, vocabularySchema, type Tokenizer } from "./vocab";
export {
  STREAM_VALIDATION_FRACTION,
  VALIDATION_BUCKETS,
  assertUsable,
  corpusFromExamples,
  corpusFromStream,
  encodeCorpus,
  fnv1a32,
  isValidationExample,
  joinExamples,
  type TextCorpus,
} from "./corpus";
export { brownSentences, isBrownHeldOut, nameExamples } from "./sources";
export { MAX_TEXT_BYTES, TextUploadReader, parseTextUpload, readTextUpload, textModes, type ParsedText, type TextMode, type TextUploadOptions } from "./upload";
export { TOKEN_HEADER_BYTES, decodeTokenShard, encodeTokenShard, type TokenShard } from "./shard";
export { shardWindows, takeWindows, windowCount, windowsOf } from "./windows";
export { prepareText, type PreparedText } from "./prepare";
export { BIGRAM_ALPHA, bigramNll, bigramValidationLoss, bigramWindowsLoss, fitBigram, type BigramModel } from "./bigram";
