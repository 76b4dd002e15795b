// The count-based bigram baseline a GPT's validation loss is compared with (bench:quality prints it).
//
// Fitted on the training stream: c(a, b) = times token b follows token a, c(a) = Σ_b c(a, b). With add-α
// (Lidstone) smoothing, α = 1 (Laplace) by default:
//   P(b | a) = (c(a, b) + α) / (c(a) + α·V)
// so a pair never seen in training still gets probability α / (c(a) + α·V) > 0, and a token never seen
// as a predecessor predicts uniformly (1 / V). The loss on a stream v_0 … v_{L−1} is the mean over its
// L − 1 pairs of −ln P(v_{i+1} | v_i): nats per character (token), the unit of the GPT's loss.
// Computed in float64: a baseline to compare against, not part of any replicated computation.

export const BIGRAM_ALPHA = 1;
/** V² counts: beyond this a bigram table is no longer a cheap baseline. */
export const MAX_BIGRAM_VOCABULARY = 4096;

export type BigramModel = { vocabularySize: number; alpha: number; counts: Uint32Array /* V×V, row a */; totals: Float64Array /* V */ };

export function fitBigram(train: ArrayLike<number>, vocabularySize: number, alpha = BIGRAM_ALPHA): BigramModel {
  const V = vocabularySize;
  if (!Number.isInteger(V) || V < 1 || V > MAX_BIGRAM_VOCABULARY) throw new Error(`vocabulary size ${V} is not in [1, ${MAX_BIGRAM_VOCABULARY}]`);
  if (!(alpha > 0) || !Number.isFinite(alpha)) throw new Error(`α = ${alpha}: smoothing needs a finite α > 0`);
  const counts = new Uint32Array(V * V);
  const totals = new Float64Array(V);
  for (let i = 0; i + 1 < train.length; i++) {
    const a = train[i]!;
    const b = train[i + 1]!;
    if (a >= V || b >= V) throw new Error(`token ${Math.max(a, b)} at ${a >= V ? i : i + 1} is not below the vocabulary size ${V}`);
    counts[a * V + b]!++;
    totals[a]!++;
  }
  return { vocabularySize: V, alpha, counts, totals };
}

/** −ln P(b | a). */
export function bigramNll(m: BigramModel, a: number, b: number): number {
  const V = m.vocabularySize;
  if (a >= V || b >= V) throw new Error(`token ${Math.max(a, b)} is not below the vocabulary size ${V}`);
  return -Math.log((m.counts[a * V + b]! + m.alpha) / (m.totals[a]! + m.alpha * V));
}

/** Mean −ln P(v_{i+1} | v_i) over the validation stream's pairs, in nats per character. */
export function bigramValidationLoss(m: BigramModel, validation: ArrayLike<number>): number {
  if (validation.length < 2) throw new Error("the validation stream needs at least two tokens");
  let sum = 0;
  for (let i = 0; i + 1 < validation.length; i++) sum += bigramNll(m, validation[i]!, validation[i + 1]!);
  return sum / (validation.length - 1);
}

/**
 * The same loss over exactly the targets a GPT is scored on: each window's `width − 1` pairs
 * (./windows.ts). Equals bigramValidationLoss of the stream minus the tail no window covers.
 */
export function bigramWindowsLoss(m: BigramModel, windows: { tokens: Uint32Array; rows: number; width: number }): number {
  if (windows.rows === 0 || windows.width < 2) throw new Error("no windows to score");
  let sum = 0;
  for (let r = 0; r < windows.rows; r++) {
    const o = r * windows.width;
    for (let j = 0; j + 1 < windows.width; j++) sum += bigramNll(m, windows.tokens[o + j]!, windows.tokens[o + j + 1]!);
  }
  return sum / (windows.rows * (windows.width - 1));
}
