import "server-only";
// An inference job's assembled result (GET /api/jobs/{id}/outputs, and the blob whose sha-256 is the
// task's on-chain result hash): CSV, one line per input row of an accepted fragment, in row order —
//
//   row,class,p_0,…,p_{C−1}
//
// `row` the 0-based index of the input row in the dataset, `class` the predicted class id, p_c the
// probabilities as the accepted result holds them (float32, printed exactly). While the job runs only
// accepted fragments' rows appear, once their spot checks are settled (a gap where a fragment is still
// open); at the end every row does.
//
// A language model's job ("tokens") gives JSON Lines instead, one object per prompt of an accepted fragment:
//
//   {"row":0,"prompt":"ab","tokens":[3,1],"continuation":"ca","end":"boundary"}
//
// `row` the 0-based line of the prompts file, `prompt` that line as the model's vocabulary spells it,
// `tokens` the greedy continuation's ids, `continuation` their text, `end` "boundary" when the model drew
// the boundary token before maxTokens, else "maxTokens".
import { ApiError, notFound } from "@/lib/api";
import { decodeClassifications, decodeContinuations, decodeFloat32, decodePromptShard, isInferenceSpec, isTokenInference, maxTokensOf, mlpOf, specOf, type InferenceSpec } from "@/lib/protocol";
import { getBlob, type SchedulerCtx } from "./context";

export const outputsHeader = (classes: number): string => ["row", "class", ...Array.from({ length: classes }, (_, c) => `p_${c}`)].join(",") + "\n";

/** The CSV lines of one accepted fragment (`first` the dataset index of its first row). */
export function outputLines(result: Uint8Array, classes: number, first: number): string {
  let out = "";
  for (const [i, r] of decodeClassifications(result, classes).entries()) out += `${first + i},${r.cls},${Array.from(r.probabilities).join(",")}\n`;
  return out;
}

/** The JSON lines of one accepted fragment of a language model's job (`prompts` its CXPR shard). */
export function continuationLines(result: Uint8Array, prompts: Uint8Array, vocabulary: readonly string[], maxTokens: number, first: number): string {
  const text = (ids: ArrayLike<number>) => Array.from(ids, (id) => vocabulary[id]).join("");
  const shard = decodePromptShard(prompts);
  let out = "";
  for (const [i, tokens] of decodeContinuations(decodeFloat32(result), maxTokens).entries()) {
    out += JSON.stringify({ row: first + i, prompt: text(shard.prompts[i]!), tokens, continuation: text(tokens), end: tokens.length < maxTokens ? "boundary" : "maxTokens" }) + "\n";
  }
  return out;
}

type Accepted = { shard: number; acceptedSha256: string | null };

/** The body's format: CSV for a classifier, JSON Lines for a language model. */
export const outputsFormat = (spec: InferenceSpec): "csv" | "jsonl" => (isTokenInference(spec) ? "jsonl" : "csv");

/** The CSV header (classifiers only), then each accepted fragment's lines in shard order (rows are cut in order, rowsPerFragment each). */
export async function* outputChunks(ctx: Pick<SchedulerCtx, "store">, spec: InferenceSpec, fragments: Accepted[]): AsyncGenerator<string> {
  const tokens = isTokenInference(spec);
  const classes = tokens ? 0 : mlpOf(spec).layers.at(-1)!;
  if (!tokens) yield outputsHeader(classes);
  for (const f of [...fragments].sort((a, b) => a.shard - b.shard)) {
    if (!f.acceptedSha256) continue;
    const first = f.shard * spec.inference.rowsPerFragment;
    const result = await getBlob(ctx.store, f.acceptedSha256);
    yield tokens
      ? continuationLines(result, await getBlob(ctx.store, spec.shards[f.shard]!.sha256), spec.dataset.vocabulary ?? [], maxTokensOf(spec), first)
      : outputLines(result, classes, first);
  }
}

/** The whole output of a job whose fragments are all accepted (what the completion hashes). */
export async function assembleOutputs(ctx: Pick<SchedulerCtx, "store">, spec: InferenceSpec, fragments: Accepted[]): Promise<Uint8Array> {
  let text = "";
  for await (const c of outputChunks(ctx, spec, fragments)) text += c;
  return new TextEncoder().encode(text);
}

/**
 * GET /api/jobs/{id}/outputs: the job's output (CSV or JSON Lines) streamed fragment by fragment (accepted
 * fragments only while it runs), with `x-corex-rows` (rows in the body) and `x-corex-complete` headers.
 */
export async function jobOutputs(ctx: Pick<SchedulerCtx, "db" | "store">, jobId: string): Promise<{ body: ReadableStream<Uint8Array>; rows: number; complete: boolean; totalRows: number; format: "csv" | "jsonl" }> {
  const job = await ctx.db.job.findUnique({ where: { id: jobId }, select: { spec: true } });
  if (!job) throw notFound(`no job ${jobId}`);
  const spec = specOf({ id: jobId, spec: job.spec });
  if (!isInferenceSpec(spec)) throw new ApiError(409, "conflict", `job ${jobId} is a training job: its result is the model (GET /api/jobs/${jobId}/model)`);
  // Accepted and settled: a fragment whose spot check is still out stays unpublished, or the checker
  // could fetch the accepted rows here and hand them in as its own (as proofs hide open rounds' hashes).
  const fragments = await ctx.db.$queryRaw<{ shard: number; acceptedSha256: string | null }[]>`
    SELECT f.shard, f.accepted_sha256 AS "acceptedSha256" FROM fragments f
    WHERE f.job_id = ${jobId}::uuid AND f.status = 'accepted'
      AND NOT EXISTS (SELECT 1 FROM replica_slots s WHERE s.fragment_id = f.id AND s.kind = 'verify' AND s.state IN ('open', 'leased'))
      AND NOT EXISTS (SELECT 1 FROM fragment_results x WHERE x.fragment_id = f.id AND x.status = 'pending')
    ORDER BY f.shard`;
  const rows = fragments.reduce((n, f) => n + spec.shards[f.shard]!.rows, 0);
  const chunks = outputChunks(ctx, spec, fragments);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
  return { body, rows, complete: rows === spec.inference.rows, totalRows: spec.inference.rows, format: outputsFormat(spec) };
}

/**
 * The job page's preview: a header and the first `limit` output rows available now, with the counts. A
 * language model's rows are [row, prompt, continuation, end] taken from its JSON lines.
 */
export async function outputsPreview(ctx: Pick<SchedulerCtx, "db" | "store">, jobId: string, limit = 10) {
  const out = await jobOutputs(ctx, jobId);
  const reader = out.body.getReader();
  const decoder = new TextDecoder();
  const header = out.format === "jsonl" ? 0 : 1;
  let text = "";
  while (text.split("\n").length <= limit + header) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  await reader.cancel();
  const lines = text.split("\n").filter(Boolean);
  const counts = { accepted: out.rows, total: out.totalRows, complete: out.complete, format: out.format };
  if (out.format === "jsonl") {
    const rows = lines.slice(0, limit).map((l) => {
      const o = JSON.parse(l) as { row: number; prompt: string; continuation: string; end: string };
      return [String(o.row), o.prompt, o.continuation, o.end];
    });
    return { header: ["row", "prompt", "continuation", "end"], rows, ...counts };
  }
  const [first, ...rest] = lines;
  return { header: first!.split(","), rows: rest.slice(0, limit).map((l) => l.split(",")), ...counts };
}
