import { z } from "zod";
import { address, emptyAsUnset, port, privateKey } from "./define";
import { LOCAL_DATABASE_URL, rpc } from "./shared";

// The one-shot tools: deploy, the watchtower, migrations, the dev-server allow-list, icons.

/** `npm run contracts:deploy` (scripts/contracts/deploy.ts). */
export const deployShape = {
  RPC_URL: rpc.local,
  DEPLOYER_PRIVATE_KEY: privateKey().optional().describe("Deployer key (a secret: keep it out of the repository).").meta({ docDefault: "anvil account #0" }),
  COORDINATOR_ADDRESS: address.optional().describe("Gets the oracle (posts epochs) and task-coordinator roles; outside chain 31337 it must not be the deployer.").meta({ docDefault: "the deployer (chain 31337 only)" }),
  SLASHER_ADDRESS: address.optional().describe("Gets Staking's slasher role; never the coordinator (the contracts refuse it).").meta({ docDefault: "anvil account #8 on chain 31337; required elsewhere" }),
  RESOLVER_ADDRESS: address.optional().describe("Gets the dispute resolver role; must differ from the coordinator.").meta({ docDefault: "anvil account #9 on chain 31337; required elsewhere" }),
  HAND_OVER: z
    .enum(["0", "1", "false", "true"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "1" || v === "true"))
    .describe("`1`: the TimelockController (governed by CorexGovernor) is the admin of Staking, the ledger and the task manager instead of the deployer.")
    .meta({ docDefault: "`0` on chain 31337, `1` elsewhere" }),
  UNBONDING_SECONDS: emptyAsUnset(z.coerce.number().int().min(0).optional().describe("Unbonding delay (outside chain 31337 the deploy refuses less than 86400).").meta({ docDefault: "300 on chain 31337; 604800 elsewhere" })),
  ALLOW_UNSAFE_DEPLOY: z
    .enum(["0", "1"])
    .default("0")
    .transform((v) => v === "1")
    .describe("`1`: deploy outside chain 31337 despite the refusals (short windows, `HAND_OVER=0`, coordinator = deployer…), printing each as a warning. Never on a chain holding real value."),
  CHALLENGE_SECONDS: emptyAsUnset(z.coerce.number().int().min(0).optional().describe("Epoch challenge window (outside chain 31337 the deploy refuses less than 3600).").meta({ docDefault: "60 on chain 31337; 86400 elsewhere" })),
};
export const deployEnvSchema = z.object(deployShape);

/** `npm run verify-epoch` (scripts/verify-epoch.ts): the watchtower. */
export const verifyEpochShape = {
  WATCHTOWER_KEY: privateKey().optional().describe("The disputer's key when `--key` is not given. A secret."),
};
export const verifyEpochEnvSchema = z.object(verifyEpochShape);

/** `npm run resolve-dispute` (scripts/resolve-dispute.ts): the resolver's verdicts. */
export const resolveDisputeShape = {
  RESOLVER_KEY: privateKey().optional().describe("The resolver's key (RESOLVER_ROLE, never the coordinator's) when `--key` is not given. A secret."),
};
export const resolveDisputeEnvSchema = z.object(resolveDisputeShape);

/** `npm run db:migrate` and `npm run db:diff` (scripts/db). */
export const dbToolsShape = {
  DATABASE_URL: emptyAsUnset(
    z
      .string()
      .min(1)
      .optional()
      .describe("Postgres to migrate (`db:migrate` requires it) or to diff against (`db:diff`).")
      .meta({ docDefault: `\`db:migrate\`: required · \`db:diff\`: \`${LOCAL_DATABASE_URL}\`` }),
  ),
};
export const dbToolsEnvSchema = z.object(dbToolsShape);

/** next.config.ts under `next dev` (scripts/lib/dev-origins.ts). */
export const nextDevShape = {
  DEV_ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((s) => s.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean))
    .describe("Extra host names (comma-separated, `*.example.com` allowed) `next dev` serves its dev resources to; loopback, this machine's addresses and host name are always allowed."),
};
export const nextDevEnvSchema = z.object(nextDevShape);

/** The browser the e2e tests, the benchmarks and scripts/make-icons.ts drive. */
export const chromiumShape = {
  CHROMIUM_PATH: z.string().min(1).default("/usr/bin/chromium").describe("Chromium executable Playwright drives."),
};
export const chromiumEnvSchema = z.object(chromiumShape);

/** `npm run test:compute-browser`'s static page (scripts/compute/serve.ts). */
export const computeLabShape = {
  COMPUTE_LAB_PORT: port().default(3135).describe("Port of the static compute lab page."),
};
export const computeLabEnvSchema = z.object(computeLabShape);

