import { z } from "zod";

/** What a process reads its configuration from: `process.env`, or a test's own object. */
export type EnvSource = Record<string, string | undefined>;

/**
 * Documentation-only facts about a variable that its schema cannot say: `docDefault` replaces the
 * schema's default in docs/reference/configuration.md where the effective default depends on who starts the
 * process (e.g. `npm run dev` fills DATABASE_URL with its embedded Postgres).
 */
export type VariableMeta = { docDefault?: string; docType?: string };

/** A process's environment: a zod object of its variables, each with `.describe()` text. */
export type EnvSchema = z.ZodObject<z.ZodRawShape>;

/** Thrown at start-up when a variable is missing or malformed; the message names each bad variable. */
export class ConfigError extends Error {
  readonly code = "invalid_config";
  constructor(
    readonly label: string,
    readonly issues: { variable: string; message: string }[],
  ) {
    super(`Invalid ${label} environment:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join("\n")}\nSee docs/reference/configuration.md.`);
    this.name = "ConfigError";
  }
}

/**
 * Validates `source` against a process's schema, once, at start-up. `label` names the process in the
 * error ("Invalid indexer environment: …"). Unknown variables are ignored: the environment is shared
 * with everything else on the machine.
 */
export function parseEnv<S extends z.ZodType>(label: string, schema: S, source: EnvSource = process.env): z.output<S> {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(label, parsed.error.issues.map((i) => ({ variable: i.path.join("."), message: i.message })));
  }
  return parsed.data;
}

/** A `0`/`1` switch, read as a boolean. */
export const flag = (defaultValue: "0" | "1") => z.enum(["0", "1"]).default(defaultValue).transform((v) => v === "1");

/** An integer that may also be given as an empty string (= unset: the code's own default applies). */
export const optionalInt = (min: number) => z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(min).optional());

/** A TCP port. */
export const port = () => z.coerce.number().int().min(0).max(65_535);

export const addressRe = /^0x[0-9a-fA-F]{40}$/;
export const privateKeyRe = /^0x[0-9a-fA-F]{64}$/;
export const address = z.string().regex(addressRe, "must be a 0x-prefixed 20-byte address");
export const privateKey = () => z.string().regex(privateKeyRe, "must be a 0x-prefixed 32-byte hex key");

/** `VAR=` (empty) reads as unset, as the scripts' `process.env.X ? … : default` did before the schemas. */
export const emptyAsUnset = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema);
