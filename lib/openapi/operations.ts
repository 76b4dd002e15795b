// Every route under app/api, described once from the zod schemas the routes parse with. A test
// checks that each app/api route file and method appears here, so a new route must add its entry.
import { z } from "zod";
import { nonceResponseSchema, sessionKeyListSchema, sessionKeyParamsSchema, sessionKeySchema, sessionResponseSchema, verifyRequestSchema } from "@/lib/auth/schemas";
import { sessionKeyRequestSchema } from "@/lib/auth/delegation";
import { blobParamsSchema } from "@/lib/blobs/schemas";
import { datasetListSchema, datasetSchema, datasetUploadSchema } from "@/lib/datasets/schemas";
import { adminMetricsSchema } from "@/lib/admin/schemas";
import { createJobSchema, jobListQuerySchema, jobListSchema, jobParamsSchema, jobSchema } from "@/lib/jobs/schemas";

export type Operation = {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  tag: string;
  /** needs a SIWE session cookie (401 before the body is read) */
  auth?: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: { schema: z.ZodType; type: "application/json" | "multipart/form-data"; limit: string };
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
    ok: { status: 200, description: "signed in; Set-Cookie corex_session (httpOnly, SameSite=Lax, Secure)", schema: sessionResponseSchema }, errors: [400, 401, 413, 415, 429],
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

  { method: "get", path: "/api/datasets", tag: "datasets", summary: "Built-in datasets and, when signed in, your uploads", ok: { status: 200, description: "datasets", schema: datasetListSchema }, errors: [] },
  {
    method: "post", path: "/api/datasets", tag: "datasets", auth: true, summary: "Upload a CSV dataset (header row, numeric features, a label column); refusals name the line and column",
    body: { schema: datasetUploadSchema, type: "multipart/form-data", limit: "MAX_UPLOAD_BYTES (default 50 MB), enforced while streaming" },
    ok: { status: 201, description: "stored", schema: datasetSchema }, errors: [400, 401, 413, 415, 422, 429],
  },

  { method: "get", path: "/api/jobs", tag: "jobs", summary: "Jobs, newest first", query: jobListQuerySchema, ok: { status: 200, description: "jobs", schema: jobListSchema }, errors: [400] },
  {
    method: "post", path: "/api/jobs", tag: "jobs", auth: true, summary: "Create a training job; then send TaskManager.createTask(specHash, fragmentCount, fee, minTier) from the same wallet to activate it",
    body: { schema: createJobSchema, type: "application/json", limit: "16 KiB" },
    ok: { status: 201, description: "created, awaiting_chain", schema: jobSchema }, errors: [400, 401, 413, 415, 422],
  },
  { method: "get", path: "/api/jobs/{id}", tag: "jobs", summary: "A job with its canonical spec", params: jobParamsSchema, ok: { status: 200, description: "job", schema: jobSchema }, errors: [400, 404] },
];
