/**
 * `npx corex <command>`: the Corex Network from a terminal, for initiators — sign in with a wallet key
 * (SIWE), upload datasets, create and fund training jobs, watch them train, download the models.
 * Every call goes through the typed API client (lib/protocol createApiClient, generated from the
 * OpenAPI document). docs/reference/cli.md lists the commands, their options and exit codes.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { createPublicClient, formatEther, http, parseEther, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { cliEnvSchema, parseEnv, type CliEnv } from "@/lib/config";
import { apiCallError, createApiClient, type ApiClient } from "@/lib/protocol";
import { readKey } from "../worker/keystore";
import { parseModelArg } from "./model-spec";
import { CliError, EXIT, output, reportError, type Out } from "./output";
import { configDir, forgetSession, saveSession, sessionFor, sessionsFile, type Session } from "./session";
import { TERMINAL, watchJob } from "./watch";

type Globals = { api: string; rpc: string; json?: boolean; keyFile?: string };

/** The data of an answer, or the API's refusal as an ApiCallError (code and message). */
function must<T>(what: string, r: { data?: T; error?: unknown; response: Response }): T {
  if (!r.response.ok) throw apiCallError(what, r.response, r.error);
  return r.data as T;
}

const int = (name: string, min = 0) => (v: string) => {
  if (!/^[0-9]+$/.test(v) || Number(v) < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`);
  return Number(v);
};
const num = (name: string) => (v: string) => {
  const x = Number(v);
  if (v.trim() === "" || !Number.isFinite(x)) throw new InvalidArgumentError(`${name} must be a number`);
  return x;
};

export function buildProgram(env: CliEnv): Command {
  const program = new Command("corex")
    .description("The Corex Network from a terminal: sign in, upload datasets, create and fund jobs, watch them train, download models.")
    .option("--api <url>", "origin of the Corex app (env COREX_API)", env.COREX_API)
    .option("--rpc <url>", "JSON-RPC endpoint for on-chain transactions, --fund (env COREX_RPC)", env.COREX_RPC)
    .option("--key-file <path>", "the wallet's key: a file holding a 0x hex key or a keystore v3 JSON (or COREX_KEY)")
    .option("--json", "machine-readable output: one JSON document per result on stdout")
    .showHelpAfterError("(corex --help lists the commands)")
    .exitOverride();

  const globals = (): Globals => {
    const g = program.opts<Globals>();
    // --api and --rpc are checked by the same zod schema as COREX_API and COREX_RPC (lib/config/cli.ts).
    const checked = cliEnvSchema.pick({ COREX_API: true, COREX_RPC: true }).safeParse({ COREX_API: g.api, COREX_RPC: g.rpc });
    if (!checked.success) throw new CliError(`bad --api or --rpc: ${checked.error.issues.map((i) => `${i.path.join(".") === "COREX_API" ? "--api" : "--rpc"} ${i.message}`).join("; ")}`, "usage", EXIT.usage);
    return { ...g, api: new URL(checked.data.COREX_API).origin, rpc: checked.data.COREX_RPC };
  };
  const out = (): Out => output(Boolean(program.opts<Globals>().json));
  const dir = () => configDir(env.XDG_CONFIG_HOME);

  async function key(): Promise<Hex> {
    const arg = program.opts<Globals>().keyFile ?? env.COREX_KEY;
    if (!arg) throw new CliError("no key: pass --key-file <path> or set COREX_KEY", "no_key", EXIT.usage);
    return readKey(arg, env.COREX_KEY_PASSWORD, "--key-file / COREX_KEY");
  }

  /** The API client, with the session of `corex login` when there is one (`required`: refuse without it). */
  async function client(opts: { required: boolean }): Promise<{ api: ApiClient; session: Session | null; origin: string }> {
    const { api: origin } = globals();
    const session = await sessionFor(dir(), origin);
    if (!session && opts.required) throw new CliError(`not signed in to ${origin}: run \`corex login\` first`, "unauthorized");
    return { api: createApiClient(origin, session ? { headers: { cookie: session.cookie } } : {}), session, origin };
  }

  program
    .command("login")
    .description("Sign in with Ethereum (SIWE) with the wallet's key; the session is kept under $XDG_CONFIG_HOME/corex (0600)")
    .option("--chain-id <id>", "the chain the message names (default: the app's, from /api/health, else the RPC's)", int("--chain-id", 1))
    .action(async (o: { chainId?: number }) => {
      const g = globals();
      const account = privateKeyToAccount(await key());
      const api = createApiClient(g.api);
      const chainId = o.chainId ?? (await appChainId(api)) ?? (await createPublicClient({ transport: http(g.rpc) }).getChainId().catch(() => null));
      if (!chainId) throw new CliError(`could not learn the chain id from ${g.api}/api/health nor ${g.rpc}: pass --chain-id`, "no_chain_id", EXIT.usage);
      const { nonce } = must("nonce", await api.GET("/api/auth/nonce"));
      const url = new URL(g.api);
      const message = createSiweMessage({ address: account.address, chainId, domain: url.host, uri: url.origin, version: "1", nonce, issuedAt: new Date(), statement: "Sign in to Corex Network from the corex CLI." });
      const r = await api.POST("/api/auth/verify", { body: { message, signature: await account.signMessage({ message }) } });
      const signedIn = must("sign-in", r);
      const cookie = r.response.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => /^(__Host-)?corex_session=/.test(c));
      if (!cookie) throw new CliError("the app signed in but set no session cookie", "no_cookie");
      await saveSession(dir(), g.api, { address: signedIn.address, cookie, expiresAt: signedIn.expiresAt, chainId });
      out().result(`signed in to ${g.api} as ${signedIn.address} until ${signedIn.expiresAt} (session in ${sessionsFile(dir())})`, { address: signedIn.address, expiresAt: signedIn.expiresAt, api: g.api, chainId });
    });

  program
    .command("logout")
    .description("End the session at the app and forget it here")
    .action(async () => {
      const { api, session, origin } = await client({ required: false });
      if (session) must("logout", await api.POST("/api/auth/logout"));
      await forgetSession(dir(), origin);
      out().result(session ? `signed out of ${origin}` : `no session for ${origin}`, { signedOut: Boolean(session) });
    });

  program
    .command("whoami")
    .description("The signed-in wallet (asks the app)")
    .action(async () => {
      const { api, origin } = await client({ required: true });
      const s = must("session", await api.GET("/api/auth/session"));
      out().result(`${s.address} at ${origin} until ${s.expiresAt}`, s);
    });

  const datasets = program.command("datasets").description("Your datasets");
  datasets
    .command("upload <file>")
    .description("Upload a CSV (header row, numeric features, a label column) or a .txt for a language model")
    .option("--label <column>", "CSV: the label column (default: the header's last column)")
    .option("--name <name>", "display name (default: the file name)")
    .addOption(new Option("--mode <mode>", "text: one example per line, or one stream").choices(["lines", "stream"]))
    .action(async (file: string, o: { label?: string; name?: string; mode?: "lines" | "stream" }) => {
      const { api } = await client({ required: true });
      const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
        throw new CliError(`cannot read ${file}: ${e.code ?? e.message}`, "file_unreadable");
      });
      const text = /\.txt$/i.test(file);
      const label = text ? undefined : (o.label ?? lastHeaderColumn(bytes));
      const uploadId = randomBytes(12).toString("hex");
      const o2 = out();
      o2.note(`uploading ${path.basename(file)} (${bytes.length.toLocaleString("en")} bytes)…`);
      const body = {
        ...(label ? { label } : {}), ...(text ? { kind: "text" as const } : {}), ...(o.mode ? { mode: o.mode } : {}), ...(o.name ? { name: o.name } : {}),
        file: new File([new Uint8Array(bytes)], path.basename(file)),
      };
      const ds = must(`upload ${path.basename(file)}`, await api.POST("/api/datasets", { body, bodySerializer: multipart, headers: { "x-upload-id": uploadId } }));
      o2.result(`dataset ${ds.id}: ${ds.name}, ${ds.rows} rows${ds.kind === "table" ? `, ${ds.features} features, ${ds.classes} classes (label ${ds.labelColumn})` : ""}`, ds);
    });
  datasets
    .command("list")
    .description("Built-in datasets and your uploads")
    .action(async () => {
      const { api } = await client({ required: false });
      // scope=mine: the built-ins and the caller's uploads (without it the route answers the published catalogue)
      const answer = must("datasets", await api.GET("/api/datasets", { params: { query: { scope: "mine" } } }));
      const list = answer.datasets.flatMap((d) => ("source" in d ? [d] : []));
      out().result(list.map((d) => `${d.id.padEnd(38)} ${d.source.padEnd(8)} ${d.kind.padEnd(6)} ${String(d.rows).padStart(8)} rows  ${d.name}`).join("\n"), list);
    });

  const jobs = program.command("jobs").description("Training jobs");
  jobs
    .command("create")
    .description("Create a training job (prints its spec hash); --fund sends approve + createTask from the key's wallet")
    .requiredOption("--dataset <id>", 'a built-in dataset ("iris", "mnist", "names", "brown") or one of your uploads')
    .option("--model <spec>", 'JSON, "mlp:<hidden,…>[:relu|tanh]" or "gpt:layers=…,heads=…,dim=…,context=…" (default: the API\'s)', parseModelArg)
    .option("--rounds <n>", "outer rounds R", int("--rounds", 1))
    .option("--shards <n>", "shards S per round", int("--shards", 1))
    .option("--local-steps <n>", "SGD steps per fragment", int("--local-steps", 1))
    .option("--batch <n>", "batch size", int("--batch", 1))
    .option("--lr <x>", "inner learning rate", num("--lr"))
    .option("--seed <n>", "the job's seed", int("--seed"))
    .option("--redundancy <k>", "replicas per fragment", int("--redundancy", 1))
    .option("--spot-check-rate <x>", "share of fragments re-computed by the reference", num("--spot-check-rate"))
    .option("--min-tier <t>", "lowest node tier allowed (0 bronze … 3 platinum)", int("--min-tier"))
    .option("--fee <cxt>", "the fee in CXT, escrowed by createTask (default 0)")
    .option("--fund", "send approve (when the allowance is short) and createTask now, the CXT balance checked first")
    .action(async (o: { dataset: string; model?: Record<string, unknown>; rounds?: number; shards?: number; localSteps?: number; batch?: number; lr?: number; seed?: number; redundancy?: number; spotCheckRate?: number; minTier?: number; fee?: string; fund?: boolean }) => {
      const { api } = await client({ required: true });
      const fundKey = o.fund ? await key() : null;
      const hyper = Object.fromEntries(Object.entries({ rounds: o.rounds, shards: o.shards, localSteps: o.localSteps, batch: o.batch, learningRate: o.lr, seed: o.seed }).filter(([, v]) => v !== undefined));
      let fee: string | undefined;
      if (o.fee !== undefined) {
        try {
          fee = parseEther(o.fee).toString();
        } catch {
          throw new CliError(`--fee ${o.fee} is not a CXT amount`, "usage", EXIT.usage);
        }
      }
      const body = {
        dataset: o.dataset,
        ...(o.model ? { model: o.model } : {}),
        ...(Object.keys(hyper).length ? { hyper } : {}),
        ...(o.redundancy !== undefined ? { redundancy: o.redundancy } : {}),
        ...(o.spotCheckRate !== undefined ? { spotCheckRate: o.spotCheckRate } : {}),
        ...(o.minTier !== undefined ? { minTier: o.minTier } : {}),
        ...(fee !== undefined ? { fee } : {}),
      };
      const job = must("create job", await api.POST("/api/jobs", { body: body as never }));
      const o2 = out();
      o2.note(`job ${job.id} created: ${job.fragmentCount} fragments, suggested fee ${formatEther(BigInt(job.suggestedFee))} CXT`);
      if (!fundKey) {
        o2.result(`${job.specHash}\njob ${job.id} awaits its chain task: send TaskManager.createTask(${job.createTask.specHash}, ${job.createTask.fragmentCount}, ${job.createTask.fee}, ${job.createTask.minTier}), or run \`corex jobs fund ${job.id}\``, { id: job.id, specHash: job.specHash, status: job.status, createTask: job.createTask });
        return;
      }
      o2.note(job.specHash);
      const { fundJob } = await import("./fund");
      const funded = await fundJob({ rpc: globals().rpc, key: fundKey, creator: job.creator, task: job.createTask as never, note: o2.note }).catch((e: unknown) => {
        // the job exists (awaiting its chain task): say so, and how to fund it once the cause is fixed
        const why = e instanceof CliError ? e : new CliError((e as Error).message, "tx_failed");
        throw new CliError(`job ${job.id} (spec hash ${job.specHash}) was created but not funded: ${why.message}; fix that and run \`corex jobs fund ${job.id}\``, why.code, why.exitCode);
      });
      o2.result(`${job.specHash}\njob ${job.id}: createTask sent in ${funded.createTaskTx}; it turns active when the app's indexer sees it (corex jobs watch ${job.id})`, { id: job.id, specHash: job.specHash, status: job.status, createTask: job.createTask, ...funded });
    });

  jobs
    .command("fund <id>")
    .description("Send approve + createTask for a job of yours still awaiting its chain task")
    .action(async (id: string) => {
      const { api } = await client({ required: false });
      const k = await key();
      const job = must(`job ${id}`, await api.GET("/api/jobs/{id}", { params: { path: { id } } }));
      if (job.status !== "awaiting_chain") throw new CliError(`job ${id} is ${job.status}, not awaiting its chain task`, "not_awaiting_chain");
      const { fundJob } = await import("./fund");
      const funded = await fundJob({ rpc: globals().rpc, key: k, creator: job.creator, task: job.createTask as never, note: out().note });
      out().result(`job ${id}: createTask sent in ${funded.createTaskTx}`, { id, specHash: job.specHash, ...funded });
    });

  jobs
    .command("list")
    .description("Jobs, newest first")
    .addOption(new Option("--status <status>", "only jobs in this state").choices(["awaiting_chain", "active", "completed", "cancelled", "failed", "expired"]))
    .option("--mine", "only the signed-in wallet's jobs")
    .action(async (o: { status?: "active"; mine?: boolean }) => {
      const { api, session } = await client({ required: Boolean(o.mine) });
      const query = { ...(o.status ? { status: o.status } : {}), ...(o.mine && session ? { creator: session.address } : {}) };
      const { jobs: list } = must("jobs", await api.GET("/api/jobs", { params: { query } }));
      out().result(list.length ? list.map((j) => `${j.id}  ${j.status.padEnd(14)} ${j.datasetName.padEnd(12)} ${String(j.fragmentCount).padStart(5)} fragments  ${j.createdAt}`).join("\n") : "no jobs", list);
    });

  jobs
    .command("watch <id>")
    .description("Follow a job: a progress bar per round and the current loss; exits when the job ends (non-zero unless it completed)")
    .option("--interval <ms>", "how often to ask the app", int("--interval", 100), 2000)
    .option("--timeout <s>", "give up after this many seconds (exit 1)", int("--timeout", 1))
    .action(async (id: string, o: { interval: number; timeout?: number }) => {
      const { api } = await client({ required: false });
      const o2 = out();
      const status = await watchJob(api, id, o2, { intervalMs: o.interval, timeoutMs: o.timeout === undefined ? null : o.timeout * 1000 });
      if (!TERMINAL.has(status)) throw new CliError(`job ${id} is still ${status} after ${o.timeout} s`, "timeout");
      o2.result(status === "completed" ? `job ${id} completed: corex models download ${id}` : `job ${id} ended ${status}`, { event: "end", jobId: id, status });
      if (status !== "completed") process.exitCode = EXIT.jobFailed;
    });

  const models = program.command("models").description("Trained and uploaded models");
  models
    .command("download <id>")
    .description("Download a model's safetensors file (a registry model id, or a completed job's id), its sha-256 checked before it is written")
    .option("-o, --out <file>", "where to write it (default: <id>.safetensors)")
    .option("--force", "overwrite the file")
    .action(async (id: string, o: { out?: string; force?: boolean }) => {
      const { api } = await client({ required: false });
      const file = path.resolve(o.out ?? `${id}.safetensors`);
      if (existsSync(file) && !o.force) throw new CliError(`${file} exists: pass --force to overwrite it`, "file_exists");
      let m = await api.GET("/api/models/{id}", { params: { path: { id } } });
      if (m.response.status === 404) {
        // not a registry id: a completed job's id — its model is the registry entry whose lineage names the job
        const modelId = await modelOfJob(api, id);
        if (!modelId) throw new CliError(`no model ${id} in the registry, nor a completed job ${id} with one`, "not_found");
        m = await api.GET("/api/models/{id}", { params: { path: { id: modelId } } });
      }
      const model = must(`model ${id}`, m);
      const bytes = must(`model ${model.id} weights`, await api.GET("/api/models/{id}/weights", { params: { path: { id: model.id } }, parseAs: "arrayBuffer" })) as ArrayBuffer;
      const { sha256, name } = model;
      const got = createHash("sha256").update(new Uint8Array(bytes)).digest("hex");
      if (got !== sha256.replace(/^0x/, "")) throw new CliError(`the download's sha-256 is ${got}, the model's ${sha256}: not written`, "hash_mismatch");
      await writeFile(file, new Uint8Array(bytes));
      out().result(`${name}: ${bytes.byteLength.toLocaleString("en")} bytes → ${file} (sha-256 ${got})`, { id, file, bytes: bytes.byteLength, sha256: got });
    });

  return program;
}

/** A multipart body with the fields in the order the API reads them: `label`, `kind`, `mode`, `name`, then `file`. */
function multipart(body: { label?: string; kind?: string; mode?: string; name?: string; file: Uint8Array | Blob }): FormData {
  const form = new FormData();
  for (const k of ["label", "kind", "mode", "name"] as const) if (body[k] !== undefined) form.append(k, body[k]);
  form.append("file", body.file instanceof Blob ? body.file : new Blob([new Uint8Array(body.file)]), body.file instanceof File ? body.file.name : "upload");
  return form;
}

/** The registry id of a job's model (GET /api/models, newest first, lineage `job`), or null. */
async function modelOfJob(api: ApiClient, jobId: string): Promise<string | null> {
  for (let page = 1; ; page++) {
    const list = must("models", await api.GET("/api/models", { params: { query: { page, limit: 100 } } }));
    const hit = list.models.find((x) => x.lineage.kind === "job" && x.lineage.jobId === jobId);
    if (hit) return hit.id;
    if (page * list.limit >= list.total) return null;
  }
}

/** The chain id the app runs on (its health answer), or null. */
async function appChainId(api: ApiClient): Promise<number | null> {
  try {
    const r = await api.GET("/api/health");
    const chain = (r.data ?? r.error) as { chain?: { chainId?: number | null } } | undefined;
    return chain?.chain?.chainId ?? null;
  } catch {
    return null;
  }
}

/** The CSV's last header column: the label column when --label is not given. */
function lastHeaderColumn(bytes: Uint8Array): string {
  const first = new TextDecoder().decode(bytes.subarray(0, 64 * 1024)).split(/\r?\n/, 1)[0] ?? "";
  const col = first.split(",").at(-1)?.trim().replace(/^"(.*)"$/, "$1");
  if (!col) throw new CliError("the file has no header row: pass --label <column>", "usage", EXIT.usage);
  return col;
}

export async function main(argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  let env: CliEnv;
  try {
    env = parseEnv("corex", cliEnvSchema);
  } catch (e) {
    return reportError(new CliError((e as Error).message, "config", EXIT.usage), json);
  }
  const program = buildProgram(env);
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version are not errors; commander has printed its message already
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(e, json);
  }
}
