import { z } from "zod";

/** POST /api/faucet's answer: what was sent to whom, and the wallet's CXT balance after it (wei, decimal strings). */
export const faucetDripSchema = z
  .object({
    to: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
    amount: z.string().regex(/^\d+$/).describe("CXT wei sent"),
    hash: z.string().regex(/^0x[0-9a-fA-F]{64}$/).describe("the transfer's transaction hash"),
    balance: z.string().regex(/^\d+$/).describe("the wallet's CXT balance after the drip (wei)"),
  })
  .meta({ id: "FaucetDrip" });
