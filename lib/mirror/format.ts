import { formatUnits } from "viem";

export const tierNames = ["Bronze", "Silver", "Gold", "Platinum"] as const;

type DecimalLike = { toFixed(): string } | string | number | bigint;

/** CXT wei (a Prisma Decimal, 78 digits) as a human amount with at most `digits` decimals. */
export function formatCxt(value: DecimalLike, digits = 2): string {
  const wei = BigInt(typeof value === "object" ? value.toFixed() : value);
  const [whole, frac = ""] = formatUnits(wei, 18).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const cut = frac.slice(0, digits).replace(/0+$/, "");
  return cut ? `${grouped}.${cut}` : grouped;
}

export function tierName(tier: number): string {
  return tierNames[tier] ?? `Tier ${tier}`;
}

export function shortHex(hex: string, chars = 4): string {
  return hex.length <= 2 + chars * 2 ? hex : `${hex.slice(0, 2 + chars)}…${hex.slice(-chars)}`;
}
