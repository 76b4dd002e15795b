import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { parseEnv } from "@/lib/config";
import { deployments } from "@/lib/config";
import { deploymentSchema, type DeploymentAddresses } from "./deployment";

const committedDir = path.join(process.cwd(), "contracts-abi", "deployments");
const deploymentsEnvSchema = z.object(deployments);

/**
 * Where deployment files are read from: `DEPLOYMENTS_DIR` (set by `npm run dev` to its data folder for
 * the throw-away local chain, so dev and e2e runs never rewrite the repository's files), else the
 * committed `contracts-abi/deployments`.
 */
export function deploymentsDir(): string {
  // Every process that loads deployment files (app, indexer, coordinator, epoch loop) has DEPLOYMENTS_DIR
  // in its schema (lib/config/shared.ts). Read per call, as before: tests point it elsewhere per case.
  const fromEnv = parseEnv("deployments", deploymentsEnvSchema).DEPLOYMENTS_DIR;
  // turbopackIgnore: a folder named at run time is outside the build's file tracing on purpose.
  return fromEnv ? path.resolve(/*turbopackIgnore: true*/ fromEnv) : committedDir;
}


/**
 * Reads the deployment recorded for `chainId`, or undefined when none exists. Read per call, not
 * cached: the dev chain is redeployed on every `npm run dev` while the app may keep running.
 */
export async function loadDeployment(chainId: number): Promise<DeploymentAddresses | undefined> {
  const file = path.join(/*turbopackIgnore: true*/ deploymentsDir(), `${chainId}.json`);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const parsed = deploymentSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is malformed: ${parsed.error.message}`);
  if (parsed.data.chainId !== chainId) throw new Error(`${file} names chain ${parsed.data.chainId}`);
  return parsed.data;
}
