import { z } from "zod";
import { appShape } from "./app";
import { flag } from "./define";
import { requireBucket } from "./shared";

/** `npm run epochs` (scripts/epochs.ts): the app's server variables plus the epoch loop's own. */
export const epochsShape = {
  ...appShape,
  EPOCH_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(300)
    .describe("Chain seconds an epoch lasts before the closer posts it.")
    .meta({ docDefault: "300 · 120 under `npm run dev` · 86400 in e2e" }),
  EPOCH_RELAYER: flag("0").describe("`1`: after each final epoch, push everyone's claims with `claimMany` (the coordinator pays gas)."),
  EPOCH_POLL_MS: z.coerce.number().min(1).default(5_000).describe("How often the loop tries to close an epoch, in milliseconds."),
  EPOCH_DEV_MINE: flag("0")
    .describe("`1` on chain 31337: mine an empty block when none came for a poll interval, so an idle automining dev chain's clock (and epochs) move.")
    .meta({ docDefault: "1 under `npm run dev` on its own anvil (0 in e2e) · else 0" }),
};

export const epochsEnvSchema = z.object(epochsShape).superRefine(requireBucket);

export type EpochsEnv = z.infer<typeof epochsEnvSchema>;

