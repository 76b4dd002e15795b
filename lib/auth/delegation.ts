// EIP-712 delegation of result signing to a worker's session key. Shared by the browser (which asks
// the wallet to sign it) and the server (which verifies it); no server-only imports here.
import { z } from "zod";

/** A delegation may last at most this long (the "expiry ≤ 24 h"). */
export const MAX_DELEGATION_SECONDS = 24 * 3_600;

export const delegationTypes = {
  SessionKeyDelegation: [
    { name: "sessionKey", type: "address" },
    { name: "nodeId", type: "uint256" },
    { name: "expiresAt", type: "uint64" },
  ],
} as const;

export const delegationDomain = (chainId: number) => ({ name: "Corex Network", version: "1", chainId }) as const;

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte address");

export const sessionKeyRequestSchema = z
  .object({
    sessionKey: address.describe("address of the worker's key that will sign results"),
    nodeId: z.string().regex(/^[1-9][0-9]{0,20}$/, "must be a positive decimal node id"),
    expiresAt: z.number().int().positive().describe("unix seconds; at most 24 h from now"),
    signature: z.string().regex(/^0x[0-9a-fA-F]+$/, "must be 0x-prefixed hex"),
  })
  .strict()
  .meta({ id: "SessionKeyRequest" });

export type SessionKeyRequest = z.infer<typeof sessionKeyRequestSchema>;
