import { z } from "zod";
import { emptyAsUnset } from "./define";
import { deployments, LOCAL_RPC_URL } from "./shared";

/** `npx corex` (scripts/corex): the initiators' command line. Its flags override these (`corex --help`). */
export const cliShape = {
  COREX_API: z.url({ protocol: /^https?$/ }).default("http://localhost:3000").describe("Origin of the Corex app the CLI talks to (`--api`)."),
  COREX_RPC: z.url({ protocol: /^(https?|wss?)$/ }).default(LOCAL_RPC_URL).describe("JSON-RPC endpoint `corex jobs create --fund` sends approve and createTask through (`--rpc`)."),
  COREX_KEY: emptyAsUnset(z.string().min(1).optional()).describe(
    "The wallet's key for `corex login` and `--fund` instead of `--key-file`: a 0x-prefixed hex key, or the path of a key file (hex or keystore v3). A secret.",
  ),
  COREX_KEY_PASSWORD: z.string().optional().describe("Password of a keystore v3 key file. A secret.").meta({ docDefault: "asked on the terminal" }),
  XDG_CONFIG_HOME: emptyAsUnset(z.string().min(1).optional()).describe("Where the CLI keeps its sessions: `$XDG_CONFIG_HOME/corex/sessions.json` (mode 0600).").meta({ docDefault: "`~/.config`" }),
  ...deployments,
};

export const cliEnvSchema = z.object(cliShape);

export type CliEnv = z.infer<typeof cliEnvSchema>;
