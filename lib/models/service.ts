import "server-only";
import { notFound } from "@/lib/api";
import { jobModelCard } from "@/lib/scheduler";
import { architectureOf, modelConfigSchema, parametersOf } from "./config";
import { publishCompletedJobs, type ModelsCtx } from "./publish";
import { lineageSchema, type Lineage } from "./schemas";
import type { ModelUpload } from "./upload";

type ModelRow = Awaited<ReturnType<ModelsCtx["db"]["model"]["findUniqueOrThrow"]>>;

const describe = (l: Lineage) => (l.kind === "job" ? `trained by job ${l.jobId} on ${l.dataset}` : `uploaded by ${l.uploadedBy}`);

/** A registry row as the API shows it; links are absolute under `origin` ("" gives paths). */
export function modelSummary(row: ModelRow, origin = "") {
  const config = modelConfigSchema.parse(row.config);
  const lineage = lineageSchema.parse(row.lineage);
  return {
    id: row.id,
    name: row.name,
    kind: config.kind,
    source: row.source as "job" | "upload",
    architecture: architectureOf(config),
    parameters: row.parameters,
    sizeBytes: Number(row.sizeBytes),
    sha256: row.sha256,
    createdAt: row.createdAt.toISOString(),
    lineage,
    description: describe(lineage),
    links: {
      self: `${origin}/api/models/${row.id}`,
      page: `${origin}/models/${row.id}`,
      weights: `${origin}/api/models/${row.id}/weights`,
      card: `${origin}/api/models/${row.id}/card`,
      proof: lineage.kind === "job" ? `${origin}/api/jobs/${lineage.jobId}/proof` : null,
    },
  };
}

export const modelView = (row: ModelRow, origin = "") => ({ ...modelSummary(row, origin), config: modelConfigSchema.parse(row.config) });
export type ModelSummary = ReturnType<typeof modelSummary>;
export type ModelView = ReturnType<typeof modelView>;

/** GET /api/models: newest first (completed jobs are published first), `limit` a page. */
export async function listModels(ctx: ModelsCtx, { page, limit }: { page: number; limit: number }, origin = "") {
  await publishCompletedJobs(ctx);
  const [rows, total] = await Promise.all([
    ctx.db.model.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (page - 1) * limit, take: limit }),
    ctx.db.model.count(),
  ]);
  return { models: rows.map((r) => modelSummary(r, origin)), page, limit, total };
}

async function modelRow(ctx: ModelsCtx, id: string): Promise<ModelRow> {
  await publishCompletedJobs(ctx);
  const row = await ctx.db.model.findUnique({ where: { id } });
  if (!row) throw notFound(`no model ${id}`);
  return row;
}

/** The registry id of a completed job's model (published now if it is not yet), or null. */
export async function modelIdOfJob(ctx: ModelsCtx, jobId: string): Promise<string | null> {
  const find = () => ctx.db.model.findUnique({ where: { jobId }, select: { id: true } });
  const row = (await find()) ?? ((await publishCompletedJobs(ctx)) > 0 ? await find() : null);
  return row?.id ?? null;
}

export const getModel = async (ctx: ModelsCtx, id: string, origin = "") => modelView(await modelRow(ctx, id), origin);

/** GET /api/models/{id}/weights: the safetensors bytes as stored (re-hashed by the S3 store on read). */
export async function modelWeights(ctx: ModelsCtx, id: string): Promise<{ bytes: Uint8Array; sha256: string }> {
  const row = await modelRow(ctx, id);
  const bytes = await ctx.store.get(row.sha256);
  if (!bytes) throw notFound(`model ${id}: its weights blob ${row.sha256} is missing from the blob store`);
  return { bytes, sha256: row.sha256 };
}

/** GET /api/models/{id}/card: the registry entry, how to load it, and a job model's training card. */
export async function modelCard(ctx: ModelsCtx, id: string, origin: string) {
  const view = modelView(await modelRow(ctx, id), origin);
  const training = view.lineage.kind === "job" ? await jobModelCard(ctx, view.lineage.jobId, origin) : null;
  const usage =
    view.kind === "gpt"
      ? "safetensors, F32, one tensor per slice of lib/compute's GPT layout (wte [V, D] … lnf.b [D]); token i is config.vocabulary[i], 0 the boundary. Load with safetensors.numpy.load_file."
      : "safetensors, F32: layers.{l}.weight [n_in, n_out], layers.{l}.bias [n_out]; y = x·W + b, hidden activation config.activation, softmax output. Normalise inputs with config.normalisation first.";
  return { format: "corex-model-card/1" as const, ...view, usage, training: training as Record<string, unknown> | null };
}

/**
 * Stores a checked upload: the blob (content-addressed), then the row. A failed insert removes a blob this
 * call created and no other model names, so a refusal at any step leaves the registry as it was.
 */
export async function saveUploadedModel(ctx: ModelsCtx, owner: string, upload: ModelUpload, origin = ""): Promise<ModelView> {
  const existed = await ctx.store.has(upload.sha256);
  await ctx.store.put(upload.bytes, upload.sha256);
  const address = owner.toLowerCase();
  const lineage: Lineage = { kind: "upload", uploadedBy: address, fileName: upload.fileName };
  try {
    const row = await ctx.db.model.create({
      data: {
        source: "upload", kind: upload.config.kind, name: upload.name ?? upload.fileName.replace(/\.safetensors$/i, ""), config: upload.config,
        parameters: parametersOf(upload.config), sizeBytes: BigInt(upload.size), sha256: upload.sha256, owner: address, lineage,
      },
    });
    return modelView(row, origin);
  } catch (e) {
    if (!existed && (await ctx.db.model.count({ where: { sha256: upload.sha256 } })) === 0) await ctx.store.delete(upload.sha256).catch(() => undefined);
    throw e;
  }
}
