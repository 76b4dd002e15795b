// Every route under app/api, described once from the zod schemas the routes parse with. A test
// checks that each app/api route file and method appears here, so a new route must add its entry.
import { z } from "zod";
import { nonceResponseSchema, sessionKeyListSchema, sessionKeyParamsSchema, sessionKeySchema, sessionResponseSchema, verifyRequestSchema } from "@/lib/auth";
import { sessionKeyRequestSchema } from "@/lib/auth";
import { pocAnswerQuerySchema, pocChallengeRequestSchema, pocChallengeSchema, pocParamsSchema, pocResultSchema } from "@/lib/compute-poc";
import { blobParamsSchema } from "@/lib/blobs";
import {
  catalogueDetailSchema, catalogueEntrySchema, catalogueListSchema, catalogueQuerySchema, datasetListSchema, datasetParamsSchema, datasetSchema, datasetUploadSchema, earningsQuerySchema,
  providerEarningsSchema, publishDatasetSchema, uploadParamsSchema, uploadStatusSchema,
} from "@/lib/datasets";
import { accountParamsSchema, claimableSchema, jobFeesSchema, credentialListQuerySchema, credentialListSchema, credentialParamsSchema, credentialProofSchema, epochParamsSchema, epochTreeSchema, faultListQuerySchema, faultListSchema, faultParamsSchema, faultSchema } from "@/lib/epochs";
import {
  claimRequestSchema, claimResponseSchema, heartbeatRequestSchema, heartbeatResponseSchema, modelCardSchema, proofSchema, resultResponseSchema, resultStatusListSchema, resultStatusQuerySchema,
  roundsResponseSchema, slotParamsSchema,
} from "@/lib/protocol";
import { adminMetricsSchema } from "@/lib/admin";
import { faucetDripSchema } from "@/lib/faucet";
import { jobRequestSchema, jobListQuerySchema, jobListSchema, jobParamsSchema, jobSchema, repriceJobSchema } from "@/lib/jobs";
import { modelListQuerySchema, modelListSchema, modelParamsSchema, modelSchema, modelUploadSchema, registryCardSchema } from "@/lib/models";

export type Operation = {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  tag: string;
  /** needs a SIWE session cookie (401 before the body is read) */
  auth?: boolean;
  /** a worker call: the node owner's SIWE session or the `x-corex-worker` header (EIP-712 WorkerAuth); 401 without either */
  worker?: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: { schema: z.ZodType; type: "application/json" | "multipart/form-data" | "application/octet-stream"; limit: string };
  ok: { status: number; description: string; schema?: z.ZodType; type?: string; headers?: Record<string, string> };
  errors: number[];
};

const healthSchema = z.object({ status: z.enum(["ok", "degraded", "down"]) }).catchall(z.unknown()).meta({ id: "Health" });

export const operations: Operation[] = [
  { method: "get", path: "/api/health", tag: "ops", summary: "Health of database, chain and indexer (503 when a part is down)", ok: { status: 200, description: "all parts up", schema: healthSchema }, errors: [503] },
  { method: "get", path: "/api/metrics", tag: "ops", summary: "Prometheus metrics", ok: { status: 200, description: "Prometheus text exposition", type: "text/plain" }, errors: [] },
  { method: "get", path: "/api/admin/metrics", tag: "ops", auth: true, summary: "Admin figures and their series over time (admins on ADMIN_ADDRESSES only)", ok: { status: 200, description: "figures and series", schema: adminMetricsSchema }, errors: [401, 403] },
  { method: "get", path: "/api/openapi.json", tag: "ops", summary: "This document", ok: { status: 200, description: "OpenAPI 3.1 document", type: "application/json" }, errors: [] },

  { method: "get", path: "/api/auth/nonce", tag: "auth", summary: "A one-time SIWE nonce (10 minutes)", ok: { status: 200, description: "nonce", schema: nonceResponseSchema }, errors: [429] },
  {
    method: "post", path: "/api/auth/verify", tag: "auth", summary: "Sign in: verify an EIP-4361 message and its signature (EOA or EIP-1271), set the session cookie",
    body: { schema: verifyRequestSchema, type: "application/json", limit: "32 KiB" },
    ok: { status: 200, description: "signed in; Set-Cookie corex_session (httpOnly, SameSite=Lax, Secure; `__Host-corex_session` over HTTPS)", schema: sessionResponseSchema }, errors: [400, 401, 413, 415, 429],
  },
  { method: "get", path: "/api/auth/session", tag: "auth", auth: true, summary: "The signed-in wallet", ok: { status: 200, description: "session", schema: sessionResponseSchema }, errors: [401] },
  { method: "post", path: "/api/auth/logout", tag: "auth", summary: "End the session", ok: { status: 204, description: "signed out" }, errors: [] },
  { method: "get", path: "/api/auth/session-keys", tag: "auth", auth: true, summary: "Your worker session keys", ok: { status: 200, description: "keys", schema: sessionKeyListSchema }, errors: [401] },
  {
    method: "post", path: "/api/auth/session-keys", tag: "auth", auth: true,
    summary: "Register a worker session key with the wallet's EIP-712 SessionKeyDelegation {sessionKey, nodeId, expiresAt ≤ 24 h}; domain {name: \"Corex Network\", version: \"1\", chainId}",
    body: { schema: sessionKeyRequestSchema, type: "application/json", limit: "4 KiB" },
    ok: { status: 201, description: "registered", schema: sessionKeySchema }, errors: [400, 401, 409, 413, 415, 422],
  },
  { method: "delete", path: "/api/auth/session-keys/{key}", tag: "auth", auth: true, summary: "Revoke a session key", params: sessionKeyParamsSchema, ok: { status: 204, description: "revoked" }, errors: [400, 401, 404] },

  {
    method: "get", path: "/api/blobs/{sha256}", tag: "blobs", summary: "A content-addressed blob (shards, weights, deltas)", params: blobParamsSchema,
    ok: { status: 200, description: "the bytes; Cache-Control: public, max-age=31536000, immutable; ETag = the hash; 304 on If-None-Match", type: "application/octet-stream" }, errors: [400, 404],
  },

  {
    method: "get", path: "/api/datasets", tag: "datasets", query: catalogueQuerySchema,
    summary: "The catalogue of published datasets (paged; search by title, filter by kind, licence and provider; newest or most jobs first). `scope=mine`: the built-in datasets and, when signed in, your uploads (a DatasetList)",
    ok: { status: 200, description: "a page of the catalogue (scope=mine: a DatasetList)", schema: z.union([catalogueListSchema, datasetListSchema]).meta({ id: "DatasetListing" }) }, errors: [400],
  },
  {
    method: "get", path: "/api/datasets/earnings", tag: "datasets", query: earningsQuerySchema,
    summary: "A provider's earnings per published dataset and in total: paid (fee payouts to the provider, chain mirror), claimable (exact: its fee leaves in the latest final epoch less what was paid; claim with TaskManager.claimFee and the proofs of GET /api/claims/{account}), accruing (accepted work not yet in a final epoch) and pending (claimable + accruing). Default: the signed-in account",
    ok: { status: 200, description: "earnings", schema: providerEarningsSchema }, errors: [400, 401],
  },
  {
    method: "get", path: "/api/datasets/{id}", tag: "datasets", params: datasetParamsSchema,
    summary: "A published dataset's catalogue entry: description (Markdown), schema and preview, licence, fee share, version lineage, the jobs that trained on it with their results, earnings. Unlisted ones too",
    ok: { status: 200, description: "catalogue entry", schema: catalogueDetailSchema }, errors: [400, 404],
  },
  {
    method: "post", path: "/api/datasets/{id}/publish", tag: "datasets", auth: true, params: datasetParamsSchema,
    summary: "Publish your upload: title, Markdown description (≤ 20 KB), an SPDX licence and your share of every job's fee (feeBps 0–3,000); `supersedes` links a new version to an older dataset of yours. The content (sha-256) and terms are fixed from then on (409 on a second publish); a refused field is a 400 naming it and nothing changes",
    body: { schema: publishDatasetSchema, type: "application/json", limit: "128 KiB" },
    ok: { status: 201, description: "published", schema: catalogueDetailSchema }, errors: [400, 401, 403, 404, 409, 413, 415],
  },
  {
    method: "delete", path: "/api/datasets/{id}/listing", tag: "datasets", auth: true, params: datasetParamsSchema,
    summary: "Unlist your published dataset: it leaves the catalogue and new jobs cannot choose it (422 dataset_unlisted); jobs already on it keep training and keep their proofs. The provider only (403 for anyone else)",
    ok: { status: 200, description: "unlisted", schema: catalogueEntrySchema }, errors: [400, 401, 403, 404, 409],
  },
  {
    method: "post", path: "/api/datasets", tag: "datasets", auth: true,
    summary: "Upload a CSV dataset (header row, numeric features, a label column) or a .txt; parsed as it streams, in a worker thread; refusals name the line and column. Optional header x-upload-id names it for GET /api/datasets/uploads/{id}",
    body: { schema: datasetUploadSchema, type: "multipart/form-data", limit: "MAX_UPLOAD_BYTES (default 50 MB), enforced while streaming" },
    ok: { status: 201, description: "stored", schema: datasetSchema }, errors: [400, 401, 408, 413, 415, 422, 429, 503],
  },
  {
    method: "get", path: "/api/datasets/uploads/{id}", tag: "datasets", auth: true, summary: "Where your upload named by x-upload-id stands (bytes and rows parsed, phase); kept 5 minutes after it ends, by the instance that parses it",
    params: uploadParamsSchema, ok: { status: 200, description: "the upload's status", schema: uploadStatusSchema }, errors: [400, 401, 404],
  },

  { method: "get", path: "/api/jobs", tag: "jobs", summary: "Jobs, newest first", query: jobListQuerySchema, ok: { status: 200, description: "jobs", schema: jobListSchema }, errors: [400, 429] },
  {
    method: "post", path: "/api/jobs", tag: "jobs", auth: true, summary: "Create a training job, or an inference job (`kind: \"inference\"`: a registry classifier over a table dataset's rows; an unknown model or columns that are not the model's inputs are 400 naming the field, nothing stored); then send TaskManager.createTask(specHash, fragmentCount, fee, minTier) from the same wallet within JOB_AWAITING_CHAIN_TTL_SECONDS (default a day) to activate it, or it expires. 20 per account per hour (429 rate_limited)",
    body: { schema: jobRequestSchema, type: "application/json", limit: "16 KiB" },
    ok: { status: 201, description: "created, awaiting_chain", schema: jobSchema }, errors: [400, 401, 413, 415, 422, 429],
  },
  {
    method: "post", path: "/api/admin/jobs/{id}/fail", tag: "admin", auth: true, summary: "Admin (ADMIN_ADDRESSES): mark an unfinished job failed", params: jobParamsSchema,
    ok: { status: 200, description: "the failed job", schema: jobSchema }, errors: [400, 401, 403, 404, 409],
  },
  { method: "get", path: "/api/jobs/{id}", tag: "jobs", summary: "A job with its canonical spec", params: jobParamsSchema, ok: { status: 200, description: "job", schema: jobSchema }, errors: [400, 404] },
  {
    method: "patch", path: "/api/jobs/{id}", tag: "jobs", auth: true, params: jobParamsSchema,
    summary: "Its creator re-prices a job still awaiting its chain task (e.g. a fee above the wallet's balance): the spec's fee and so its spec hash change; send createTask with the new values",
    body: { schema: repriceJobSchema, type: "application/json", limit: "1 KiB" },
    ok: { status: 200, description: "the re-priced job", schema: jobSchema }, errors: [400, 401, 403, 404, 409, 413, 415],
  },
  {
    method: "delete", path: "/api/jobs/{id}", tag: "jobs", auth: true, params: jobParamsSchema,
    summary: "Its creator discards a job still awaiting its chain task: it expires at once and its shards are deleted",
    ok: { status: 200, description: "the discarded (expired) job", schema: jobSchema }, errors: [400, 401, 403, 404, 409],
  },

  // epochs and rewards (lib/epochs)
  { method: "get", path: "/api/epochs/{n}/tree", tag: "epochs", summary: "An epoch's credentials and rewards trees (@openzeppelin/merkle-tree dumps) and every input needed to recompute both roots", params: epochParamsSchema, ok: { status: 200, description: "trees", schema: epochTreeSchema }, errors: [400, 404, 503] },
  { method: "get", path: "/api/credentials", tag: "epochs", summary: "Contribution credentials, filtered by epoch, node, job or owner (cursor-paginated by id)", query: credentialListQuerySchema, ok: { status: 200, description: "a page", schema: credentialListSchema }, errors: [400] },
  { method: "get", path: "/api/credentials/{id}", tag: "epochs", summary: "A credential's leaf, leaf encoding, Merkle proof and its epoch's credentials root", params: credentialParamsSchema, ok: { status: 200, description: "proof", schema: credentialProofSchema }, errors: [400, 404] },
  { method: "get", path: "/api/claims/{account}", tag: "epochs", summary: "What an account can claim against the latest final epoch, with proofs", params: accountParamsSchema, ok: { status: 200, description: "claimable", schema: claimableSchema }, errors: [400, 503] },
  {
    method: "post", path: "/api/faucet", tag: "epochs", auth: true,
    summary: "Dev chain (31337) only: send DEV_FAUCET_DRIP_CXT dev CXT from the dev stack's faucet account to the signed-in wallet, once per DEV_FAUCET_WINDOW_SECONDS. 403 faucet_unavailable on any other chain or without a faucet key; 503 faucet_empty when the faucet's seeded CXT is spent",
    ok: { status: 201, description: "sent", schema: faucetDripSchema }, errors: [401, 403, 429, 503],
  },
  {
    method: "get", path: "/api/faults", tag: "epochs", query: faultListQuerySchema,
    summary: "Faults recorded by verification (a result more than the tolerance from the CPU reference), newest first, filtered by node and/or job, with each fault's slash; paged by `cursor` = the previous page's nextCursor",
    ok: { status: 200, description: "a page", schema: faultListSchema }, errors: [400],
  },
  { method: "get", path: "/api/faults/{id}", tag: "epochs", summary: "A fault, its evidence record (canonical JSON, keccak256 = the on-chain evidence hash) and the slash transaction", params: faultParamsSchema, ok: { status: 200, description: "fault", schema: faultSchema }, errors: [400, 404] },
  // worker (issue 10)
  {
    method: "post", path: "/api/fragments/{id}/abandon", tag: "fragments", worker: true, params: slotParamsSchema,
    summary: "Give a lease back (a worker that pauses or closes): the slot is open again at once. Same authentication as heartbeat",
    body: { schema: heartbeatRequestSchema, type: "application/json", limit: "1 KiB" },
    ok: { status: 200, description: "the slot is open", schema: z.object({ slotId: z.uuid(), state: z.literal("open") }).meta({ id: "Abandoned" }) }, errors: [400, 401, 403, 404, 409, 413, 415, 429],
  },
  // compute-poc (issue 10)
  {
    method: "post", path: "/api/compute-poc/challenge", tag: "compute-poc", worker: true,
    summary: "A Compute-PoC challenge for a node (owner's session, or x-corex-worker like /api/fragments/claim): C = A·B for seeded n×n u32 matrices, wrapping arithmetic; answer within 2 minutes",
    body: { schema: pocChallengeRequestSchema, type: "application/json", limit: "1 KiB" },
    ok: { status: 201, description: "issued", schema: pocChallengeSchema }, errors: [400, 401, 403, 404, 413, 415, 429],
  },
  {
    method: "post", path: "/api/compute-poc/{id}/answer", tag: "compute-poc", worker: true,
    summary: "Answer a challenge with C (n² u32 little-endian); checked with Freivalds' algorithm (21 rounds, false accept < 2^-20). Every answer is recorded: wrong products (422), replayed products or second answers (409), late answers (410)",
    params: pocParamsSchema, query: pocAnswerQuerySchema,
    body: { schema: z.string().meta({ id: "PocProduct", description: "n² u32 little-endian" }), type: "application/octet-stream", limit: "4n² bytes" },
    ok: { status: 200, description: "passed; the node's throughput is recorded", schema: pocResultSchema }, errors: [400, 401, 403, 404, 409, 410, 413, 415, 422, 429],
  },
  // fragments (lib/scheduler): workers authenticate with the owner's session or `x-corex-worker` (see x-eip712)
  { method: "get", path: "/api/fragments/results", tag: "fragments", summary: "Where submitted results stand now (pending, accepted, rejected): a receipt says pending until verification settles it", query: resultStatusQuerySchema, ok: { status: 200, description: "statuses of the known ids", schema: resultStatusListSchema }, errors: [400, 429] },
  {
    method: "post", path: "/api/fragments/claim", tag: "fragments", worker: true,
    summary: "Lease up to `max` replica slots for a node (owner's session, or x-corex-worker: <expiresAt>.<EIP-712 WorkerAuth {nodeId, expiresAt}> by the owner or a delegated session key)",
    body: { schema: claimRequestSchema, type: "application/json", limit: "1 KiB" },
    ok: { status: 200, description: "leased slots with their inputs (possibly none)", schema: claimResponseSchema }, errors: [400, 401, 403, 413, 415, 429],
  },
  {
    method: "post", path: "/api/fragments/{id}/heartbeat", tag: "fragments", worker: true, summary: "Extend the lease of a slot you hold (by its lease length, scaled by work units)", params: slotParamsSchema,
    body: { schema: heartbeatRequestSchema, type: "application/json", limit: "1 KiB" },
    ok: { status: 200, description: "new deadline", schema: heartbeatResponseSchema }, errors: [400, 401, 403, 404, 409, 413, 415, 429],
  },
  {
    method: "post", path: "/api/fragments/{id}/result", tag: "fragments", params: slotParamsSchema,
    summary: "Submit a slot's result: body = the delta as float32 little-endian in lib/compute's weight layout; headers x-corex-loss and x-corex-signature (EIP-712 FragmentResult, see x-eip712). Idempotent per slot.",
    body: { schema: z.string().describe("float32 LE delta"), type: "application/octet-stream", limit: "4 × parameter count bytes" },
    ok: { status: 201, description: "stored, pending verification (200 with duplicate: true for a repeat)", schema: resultResponseSchema }, errors: [400, 403, 404, 409, 413, 415, 422, 429],
  },
  { method: "get", path: "/api/jobs/{id}/rounds", tag: "jobs", summary: "Per-round train loss and held-out loss/accuracy (the loss chart)", params: jobParamsSchema, ok: { status: 200, description: "rounds", schema: roundsResponseSchema }, errors: [400, 404] },
  { method: "get", path: "/api/jobs/{id}/proof", tag: "jobs", summary: "Proof of model training: the chain of round records and every fragment's inputs and signed results (npm run verify-proof)", params: jobParamsSchema, ok: { status: 200, description: "proof", schema: proofSchema }, errors: [400, 404] },
  { method: "get", path: "/api/jobs/{id}/fees", tag: "jobs", summary: "The job's task fees per contributor: what the latest fee leaves commit to each account (accepted work, the dataset provider's share, the creator's refund) and what TaskManager has paid it", params: jobParamsSchema, ok: { status: 200, description: "fees", schema: jobFeesSchema }, errors: [400, 404] },
  { method: "get", path: "/api/jobs/{id}/model", tag: "jobs", summary: "The trained model as safetensors (layers.{l}.weight [n_in, n_out], layers.{l}.bias [n_out], F32)", params: jobParamsSchema, ok: { status: 200, description: "safetensors file", type: "application/octet-stream" }, errors: [400, 404] },
  {
    method: "get", path: "/api/jobs/{id}/outputs", tag: "jobs", params: jobParamsSchema,
    summary: "An inference job's outputs, streamed. A classifier's: CSV `row,class,p_0,…,p_{C−1}` (row = the input row's 0-based index, class = the predicted class id, p = the probabilities as accepted). A language model's: JSON Lines (application/x-ndjson), one `{row, prompt, tokens, continuation, end}` per prompt (row = the prompts file's 0-based line, tokens = the greedy continuation's ids, end = \"boundary\" or \"maxTokens\"). While the job runs, only the rows of accepted fragments; complete when every fragment is accepted. Headers x-corex-rows, x-corex-total-rows, x-corex-complete",
    ok: { status: 200, description: "CSV", type: "text/csv" }, errors: [400, 404, 409],
  },
  { method: "get", path: "/api/jobs/{id}/model-card", tag: "jobs", summary: "JSON model card: spec, metrics, weights hash, proof link", params: jobParamsSchema, ok: { status: 200, description: "model card", schema: modelCardSchema }, errors: [400, 404] },

  // model registry (lib/models, issue 23)
  { method: "get", path: "/api/models", tag: "models", summary: "The model registry, newest first: every completed job's final weights and uploaded models (paged)", query: modelListQuerySchema, ok: { status: 200, description: "a page of models", schema: modelListSchema }, errors: [400] },
  {
    method: "post", path: "/api/models", tag: "models", auth: true,
    summary: "Upload a model: `config` (JSON) then `file` (safetensors), checked as it streams — header, every tensor's name, dtype (F32) and shape against the config, every value finite. Refusals: 400 validation_failed (the form or config, naming the field), safetensors_malformed (header, offsets, truncation), safetensors_mismatch (naming the tensor), safetensors_not_finite (naming the tensor and index); 413 over the limit; nothing is stored on any refusal",
    body: { schema: modelUploadSchema, type: "multipart/form-data", limit: "MAX_MODEL_UPLOAD_BYTES (default 200 MB): a declared Content-Length above it is refused before reading, a streamed body when it passes" },
    ok: { status: 201, description: "stored", schema: modelSchema }, errors: [400, 401, 413, 415, 429],
  },
  { method: "get", path: "/api/models/{id}", tag: "models", summary: "A model: kind, config, parameter count, size, content hash (sha-256 of the safetensors bytes), lineage, download links", params: modelParamsSchema, ok: { status: 200, description: "model", schema: modelSchema }, errors: [400, 404] },
  { method: "get", path: "/api/models/{id}/weights", tag: "models", summary: "The model's safetensors file (immutable; ETag = its sha-256)", params: modelParamsSchema, ok: { status: 200, description: "safetensors file", type: "application/octet-stream" }, errors: [400, 404] },
  { method: "get", path: "/api/models/{id}/card", tag: "models", summary: "The model card: the registry entry, how to load the file, and a job model's training card (spec, metrics, proof)", params: modelParamsSchema, ok: { status: 200, description: "model card", schema: registryCardSchema }, errors: [400, 404] },
];
