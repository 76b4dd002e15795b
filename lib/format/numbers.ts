import { formatUnits } from "viem";

export const tierNames = ["Bronze", "Silver", "Gold", "Platinum"] as const;

type DecimalLike = { toFixed(): string } | string | number | bigint;

const toBigInt = (value: DecimalLike): bigint => BigInt(typeof value === "object" ? value.toFixed() : value);

const group = (whole: string) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/**
 * CXT wei (a Prisma Decimal, 78 digits) as a human amount. Whole amounts keep `digits` decimals at
 * most (truncated, never rounded up: a balance must not look larger than it is); amounts below one
 * CXT keep `digits` significant digits so that 0.000042 CXT does not print as 0.
 */
export function formatCxt(value: DecimalLike, digits = 2): string {
  const wei = toBigInt(value);
  const negative = wei < 0n;
  const [whole, frac = ""] = formatUnits(negative ? -wei : wei, 18).split(".");
  let cut: string;
  if (whole === "0" && frac !== "") {
    const lead = frac.length - frac.replace(/^0+/, "").length;
    cut = frac.slice(0, lead + digits);
  } else {
    cut = frac.slice(0, digits);
  }
  cut = cut.replace(/0+$/, "");
  const text = cut ? `${group(whole)}.${cut}` : group(whole);
  return negative && text !== "0" ? `-${text}` : text;
}

/** `formatCxt` with the unit: "1,250.5 CXT". */
export function formatCxtWithUnit(value: DecimalLike, digits = 2): string {
  return `${formatCxt(value, digits)} CXT`;
}

const flopPrefixes = ["", "k", "M", "G", "T", "P", "E", "Z", "Y"] as const;

/**
 * Work units are floating-point operations of accepted fragments (contracts/README.md); shown with
 * an SI prefix and three significant digits: 20000000000000 → "20 TFLOP", 1.5e15 → "1.5 PFLOP".
 */
export function formatFlops(value: DecimalLike): string {
  const units = toBigInt(value);
  if (units < 0n) throw new RangeError(`work units cannot be negative: ${units}`);
  let exp = 0;
  while (exp < flopPrefixes.length - 1 && units >= 1000n ** BigInt(exp + 1)) exp++;
  if (exp === 0) return `${units} FLOP`;
  // Three significant digits from exact integer arithmetic (Number would lose precision past 2^53).
  const scale = 1000n ** BigInt(exp);
  const intPart = units / scale;
  const decimals = intPart >= 100n ? 0 : intPart >= 10n ? 1 : 2;
  const scaled = (units * 10n ** BigInt(decimals)) / scale; // truncated
  const s = scaled.toString().padStart(decimals + 1, "0");
  const text = decimals ? `${s.slice(0, -decimals)}.${s.slice(-decimals)}`.replace(/\.?0+$/, "") : s;
  return `${text} ${flopPrefixes[exp]}FLOP`;
}

export function tierName(tier: number): string {
  return tierNames[tier] ?? `Tier ${tier}`;
}

export function shortHex(hex: string, chars = 4): string {
  return hex.length <= 2 + chars * 2 ? hex : `${hex.slice(0, 2 + chars)}…${hex.slice(-chars)}`;
}

/** A count with thousands separators: 208440 → "208,440" (chart axes, counters, credential figures). */
export function formatCount(value: number | bigint): string {
  return typeof value === "bigint" ? group(value.toString()) : value.toLocaleString("en", { maximumFractionDigits: 2 });
}

/** A share 0..1 as a percentage, clamped to 0–100 % (an accuracy never shows above 100 %): 0.9125 → "91.25%". */
export function formatPercent(share: number | null, digits = 2): string {
  if (share === null || !Number.isFinite(share)) return "—";
  return `${(Math.min(1, Math.max(0, share)) * 100).toFixed(digits)}%`;
}

/** A moment as people read it, in one zone for everyone: "2026-12-07 11:20 UTC" (never a block number). */
export function formatDateTime(at: Date | string): string {
  const d = typeof at === "string" ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) return "—";
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
