import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { deploymentSchema, type Deployment } from "./deployment";

export const deploymentsDir = path.join(process.cwd(), "contracts-abi", "deployments");

/**
 * Reads the deployment recorded for `chainId`, or undefined when none exists. Read per call, not
 * cached: the dev chain is redeployed on every `npm run dev` while the app may keep running.
 */
export async function loadDeployment(chainId: number): Promise<Deployment | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(deploymentsDir, `${chainId}.json`), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const parsed = deploymentSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`contracts-abi/deployments/${chainId}.json is malformed: ${parsed.error.message}`);
  if (parsed.data.chainId !== chainId) throw new Error(`contracts-abi/deployments/${chainId}.json names chain ${parsed.data.chainId}`);
  return parsed.data;
}
