import { publishDatasetSchema, type PublishDatasetInput } from "@/lib/datasets/client";

export type PublishFields = { title: string; description: string; license: string; share: string; supersedes: string };
export type PublishErrors = Partial<Record<keyof PublishFields | "file" | "form", string>>;

/**
 * The POST /api/datasets/{id}/publish body for what the form holds, or the errors in words, found
 * before anything is uploaded: the share is typed as a percentage (10 = 10 % = 1,000 basis points).
 */
export function buildPublishRequest(f: PublishFields): { body: PublishDatasetInput } | { errors: PublishErrors } {
  const share = Number(f.share.trim() || "NaN");
  const bps = Math.round(share * 100);
  const body = { title: f.title, description: f.description, license: f.license.trim(), feeBps: Number.isFinite(share) ? bps : NaN, ...(f.supersedes ? { supersedes: f.supersedes } : {}) };
  const parsed = publishDatasetSchema.safeParse(body);
  const errors: PublishErrors = {};
  if (!Number.isFinite(share)) errors.share = "Fee share must be a number of percent, e.g. 10";
  else if (Math.abs(share * 100 - bps) > 1e-9) errors.share = "Fee share has at most two decimals (basis points)";
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const k = i.path[0] === "feeBps" ? "share" : (String(i.path[0]) as keyof PublishFields);
      if (errors[k]) continue;
      errors[k] = k === "share" ? `Fee share must be between 0 and 30%` : `${labels[k] ?? k}: ${i.message}`;
    }
  }
  if (Object.keys(errors).length) return { errors };
  return { body: parsed.success ? { ...body, license: parsed.data.license } : body };
}

const labels: Partial<Record<keyof PublishFields, string>> = { title: "Title", description: "Description", license: "Licence", supersedes: "Previous version" };
