import { z } from "zod";

export const blobParamsSchema = z
  .object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex characters (sha-256)") })
  .strict();
