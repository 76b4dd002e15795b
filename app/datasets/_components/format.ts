import { formatPercent } from "@/lib/format/client";

/** A fee share in basis points as a percentage, in the app's one number language: 1000 → "10%", 250 → "2.50%". */
export const formatShare = (bps: number) => formatPercent(bps / 10_000, bps % 100 === 0 ? 0 : 2);

/** A table's size (rows × columns) or a text's (characters). */
export function formatShape(d: { kind: "table" | "text"; rows: number; columns: number | null; characters: number | null }): string {
  return d.kind === "table" ? `${d.rows.toLocaleString("en")} rows × ${d.columns ?? 0} columns` : `${(d.characters ?? 0).toLocaleString("en")} characters`;
}
