// Node tiers: the ONE TypeScript copy of contracts/Tiers.sol (contracts/test/tiers.test.ts checks it
// against the deployed Staking.tierTable()). Pure: the browser, the mirror's read models and
// rankings SQL, and the published reward rules (lib/epochs/rules.ts) all derive from it.

/** Multipliers are in basis points: 10,000 = 1.0×. */
export const TIER_BPS = 10_000n;
const ether = 10n ** 18n;

/** Per tier (bronze, silver, gold, platinum): stake threshold (wei), work threshold (FLOP), multiplier (bps). */
export const tierTable = [
  { stake: 0n, work: 0n, multiplierBps: 10_000n },
  { stake: 1_000n * ether, work: 10n ** 11n, multiplierBps: 12_500n },
  { stake: 10_000n * ether, work: 10n ** 13n, multiplierBps: 15_000n },
  { stake: 100_000n * ether, work: 10n ** 15n, multiplierBps: 20_000n },
] as const;

/**
 * A tier column's multiplier (bps) as a SQL expression, from the table (for sorts done in SQL); an
 * unknown tier counts as bronze, as in Tiers.multiplierBps. `column` must be a trusted identifier.
 */
export function tierMultiplierSql(column: string): string {
  return `(CASE ${column} ${tierTable.map((t, i) => `WHEN ${i} THEN ${t.multiplierBps}`).join(" ")} ELSE ${tierTable[0].multiplierBps} END)`;
}
