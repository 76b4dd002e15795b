// `tsx scripts/compute/serve.ts` — the compute lab page for Playwright (playwright.compute.config.ts).
import { parseEnv } from "@/lib/config";
import { computeLabEnvSchema } from "@/lib/config";
import { startComputeServer } from "./static-server";

const port = parseEnv("compute lab", computeLabEnvSchema).COMPUTE_LAB_PORT;
const server = await startComputeServer(port, ["kernels-lab", "gpt-kernels-lab"]);
console.log(`compute lab on ${server.url}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void server.close().then(() => process.exit(0)));
