import "server-only";

export { collectInferenceWeights, expireStaleJobs, type ExpiryReport } from "./expiry";
export { discardJob, repriceJob } from "./manage";
export { createJob, failJob, getJob, listJobs, syncJobsWithChain, jobDetail, jobSummary, SPEC_VERSION } from "./service";
export { canonicalSpecJson, specHashOf } from "./spec";
export { DEMO_MNIST_JOB, DEMO_NAMES_JOB, SMALL_DEMO_MNIST_JOB } from "./demo";
export { MAX_VALIDATION_WINDOWS } from "./service";
export { fragmentFlops, gptJobWorkUnits, jobWorkUnits, suggestedFee, FEE_WEI_PER_GFLOP } from "./work";
export { createInferenceJobSchema, DEFAULT_MAX_TOKENS, DEFAULT_PROMPTS_PER_FRAGMENT, DEFAULT_ROWS_PER_FRAGMENT, MAX_PROMPTS_BYTES, jobRequestSchema, jobRequestSchemaFor, repriceJobSchema, createJobSchema, jobSchema, jobListSchema, jobSummarySchema, jobParamsSchema, jobListQuerySchema, jobStatuses } from "./schemas";
export type { CreateInferenceJob, CreateInferenceJobInput, CreateJob, CreateJobInput } from "./schemas";
