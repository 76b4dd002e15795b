// How every `corex` command answers: a human line on stdout, or `--json` (one JSON document per result,
// NDJSON for `jobs watch`); errors on stderr with the API's code, and the exit codes of docs/reference/cli.md.
import { ApiCallError } from "@/lib/protocol";

export const EXIT = { ok: 0, error: 1, usage: 2, jobFailed: 3 } as const;

/** A failure the CLI names itself (bad input, missing session, short balance), with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export type Out = {
  json: boolean;
  /** a result: `human` as text, or `data` as one JSON line with --json */
  result(human: string, data: unknown): void;
  /** a progress note on stderr (never in --json output) */
  note(line: string): void;
};

export function output(json: boolean): Out {
  return {
    json,
    result: (human, data) => console.log(json ? JSON.stringify(data) : human),
    note: (line) => {
      if (!json) console.error(line);
    },
  };
}

/** An error as the CLI prints it: `corex: <message>` (human) or `{"error":{code,message,status?}}` (--json, on stdout for scripts). */
export function reportError(e: unknown, json: boolean): number {
  const err =
    e instanceof ApiCallError
      ? { code: e.code ?? `http_${e.status}`, message: e.message, status: e.status, exit: EXIT.error }
      : e instanceof CliError
        ? { code: e.code, message: e.message, exit: e.exitCode }
        : e instanceof TypeError && e.message === "fetch failed"
          ? { code: "unreachable", message: `the app did not answer (${(e.cause as { code?: string; message?: string } | undefined)?.code ?? (e.cause as Error | undefined)?.message ?? "fetch failed"}): is --api right?`, exit: EXIT.error }
          : { code: "error", message: (e as Error)?.message ?? String(e), exit: EXIT.error };
  if (json) console.log(JSON.stringify({ error: { code: err.code, message: err.message, ...("status" in err ? { status: err.status } : {}) } }));
  else console.error(`corex: ${err.message}`);
  return err.exit;
}
