import { z } from "zod";

/** `npm run worker` (scripts/worker.ts): the CLI worker. Its flags say the rest (`--help`). */
export const workerShape = {
  WORKER_KEY: z.string().optional().describe("The worker's key (hex, key file or keystore v3 file) instead of `--key`: keeps it off the process list. A secret."),
  WORKER_KEY_PASSWORD: z.string().optional().describe("Password of a keystore v3 key file. A secret.").meta({ docDefault: "asked on the terminal" }),
};

export const workerEnvSchema = z.object(workerShape);

export type WorkerEnv = z.infer<typeof workerEnvSchema>;
