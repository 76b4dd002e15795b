// Request and response shapes of /api/auth/*: the routes parse with these and /api/openapi.json
// documents them, so the two cannot drift.
import { z } from "zod";
import { nodeIdSchema } from "@/lib/protocol";

// Stryker disable next-line all: a response shape, only documents /api/openapi.json
export const nonceResponseSchema = z.object({ nonce: z.string().regex(/^[a-zA-Z0-9]{8,}$/) }).meta({ id: "Nonce" });

export const verifyRequestSchema = z
  .object({
    message: z.string().min(1).max(4096).describe("EIP-4361 message text"),
    signature: z.string().regex(/^0x[0-9a-fA-F]+$/, "must be 0x-prefixed hex").max(20_000),
  })
  .strict()
  .meta({ id: "VerifyRequest" });

// Stryker disable all: response shapes, only document /api/openapi.json
export const sessionResponseSchema = z
  .object({ address: z.string().regex(/^0x[0-9a-fA-F]{40}$/), expiresAt: z.iso.datetime() })
  .meta({ id: "Session" });

export const sessionKeySchema = z
  .object({ id: z.string(), sessionKey: z.string(), nodeId: z.string(), expiresAt: z.iso.datetime(), revoked: z.boolean() })
  .meta({ id: "SessionKey" });

export const sessionKeyListSchema = z.object({ sessionKeys: z.array(sessionKeySchema) }).meta({ id: "SessionKeyList" });

// Stryker restore all
export const sessionKeyParamsSchema = z.object({ key: z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte address") }).strict();

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte address");

export const sessionKeyRequestSchema = z
  .object({
    sessionKey: address.describe("address of the worker's key that will sign results"),
    nodeId: nodeIdSchema,
    expiresAt: z.number().int().positive().describe("unix seconds; at most 24 h from now"),
    signature: z.string().regex(/^0x[0-9a-fA-F]+$/, "must be 0x-prefixed hex"),
  })
  .strict()
  .meta({ id: "SessionKeyRequest" });

export type SessionKeyRequest = z.infer<typeof sessionKeyRequestSchema>;
