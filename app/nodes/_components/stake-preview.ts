import { parseUnits } from "viem";
import { formatCxtWithUnit } from "@/lib/format/client";
import { tierFor, tierName } from "@/lib/mirror/client";

/** "12.5" CXT → wei, or a message saying what is wrong with the amount. */
export function parseCxt(text: string): bigint | string {
  const t = text.trim();
  if (!/^\d+(\.\d{1,18})?$/.test(t)) return "Enter an amount in CXT, e.g. 100 or 12.5.";
  const wei = parseUnits(t, 18);
  return wei > 0n ? wei : "The amount must be more than 0.";
}

/** The tier the node would have with `amount` more stake, as a line beside the stake input. */
export function tierPreview(p: { stake: string; workUnits: string }, amount: bigint | null): string | null {
  if (amount === null) return null;
  const stake = BigInt(p.stake);
  const work = BigInt(p.workUnits);
  const [now, then] = [tierFor(stake, work), tierFor(stake + amount, work)];
  const total = `Stake after: ${formatCxtWithUnit(stake + amount)}`;
  return then > now ? `${total} — ${tierName(then)} reached.` : `${total} — stays ${tierName(now)}.`;
}

