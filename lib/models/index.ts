import "server-only";
import { blobStore } from "@/lib/blobs";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import type { ModelsCtx } from "./publish";

// The model registry (issue 23): completed jobs' final weights and uploaded models, one `models` listing.
export { configOfJob, publishCompletedJobs, type ModelsCtx } from "./publish";
export { getModel, listModels, modelCard, modelIdOfJob, modelSummary, modelView, modelWeights, saveUploadedModel, type ModelSummary, type ModelView } from "./service";
export { readModelUpload, MAX_CONFIG_BYTES, type ModelUpload } from "./upload";
export {
  lineageSchema, modelListQuerySchema, modelListSchema, modelParamsSchema, modelSchema, modelSummarySchema, modelUploadSchema, registryCardSchema, type Lineage,
} from "./schemas";
export * from "./client";

/** The app's registry context (shared Prisma client, configured blob store, CHAIN_ID). */
export function modelsCtx(): ModelsCtx {
  return { db: prisma, store: blobStore(), chainId: serverEnv().CHAIN_ID };
}
