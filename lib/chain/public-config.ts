import { z } from "zod";

/**
 * What the browser needs to know about the chain. It is read from the server's environment at
 * request time and handed to the client as props (not NEXT_PUBLIC_* build-time inlining), so one
 * build runs against any chain.
 */
export const publicConfigSchema = z.object({
  chainId: z.number().int().positive(),
  rpcUrl: z.url(),
  chainName: z.string().min(1).optional(),
  explorerUrl: z.url().optional(),
  walletConnectProjectId: z.string().min(1),
});

export type PublicConfig = z.infer<typeof publicConfigSchema>;
