/** Inclusive block ranges [from, to] of at most `size` blocks covering from..to. */
export function planRanges(from: number, to: number, size: number): [number, number][] {
  if (size < 1) throw new Error("range size must be ≥ 1");
  const out: [number, number][] = [];
  for (let a = from; a <= to; a += size) out.push([a, Math.min(to, a + size - 1)]);
  return out;
}

/** Halves a range; a single block cannot be split. */
export function splitRange([from, to]: [number, number]): [[number, number], [number, number]] | null {
  if (from >= to) return null;
  const mid = from + Math.floor((to - from) / 2);
  return [
    [from, mid],
    [mid + 1, to],
  ];
}

// What providers answer when an eth_getLogs range holds too much (Alchemy, Infura, QuickNode,
// geth/erigon/reth limits, anvil's own cap).
const TOO_MANY = [
  /query returned more than \d+ results/i,
  /too many (?:results|logs|blocks)/i,
  /log response size exceeded/i,
  /response size (?:is larger|exceeded)/i,
  /block range (?:is )?(?:too large|too wide|exceeds)/i,
  /exceed(?:s|ed)? (?:the )?(?:maximum )?(?:block )?range/i,
  /range limit|limit exceeded/i,
  /-32005/,
];

export function isTooManyResultsError(e: unknown): boolean {
  const err = e as { message?: string; details?: string; code?: number; cause?: { message?: string; code?: number } };
  if (err?.code === -32005 || err?.cause?.code === -32005) return true;
  const text = [err?.message, err?.details, err?.cause?.message].filter(Boolean).join(" ");
  return TOO_MANY.some((p) => p.test(text));
}

/**
 * Fetches a range, splitting it in halves (recursively) while the provider says it is too big.
 * Results come back in block order.
 */
export async function fetchSplitting<T>(range: [number, number], fetch: (from: number, to: number) => Promise<T[]>): Promise<T[]> {
  try {
    return await fetch(range[0], range[1]);
  } catch (e) {
    const halves = isTooManyResultsError(e) ? splitRange(range) : null;
    if (!halves) throw e;
    const [a, b] = await Promise.all(halves.map((h) => fetchSplitting(h, fetch)));
    return a.concat(b);
  }
}
