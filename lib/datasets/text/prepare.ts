// A text corpus → what a GPT job stores: its vocabulary, S training shards, the held-out shard and the
// bigram baseline. Isomorphic; the job creator calls it once (with the job's context, seed and shard count)
// and content-addresses each encodeTokenShard(…) blob as it does CXDS shards.
import { bigramWindowsLoss, BIGRAM_ALPHA, fitBigram } from "./bigram";
import { encodeCorpus, type TextCorpus } from "./corpus";
import { TextError } from "./errors";
import { type TokenShard } from "./shard";
import { shardWindows, windowsOf } from "./windows";

export type PreparedText = {
  vocabulary: string[];
  /** Training windows, permuted with `seed` and dealt into `shards` runs (./windows.ts). */
  shards: TokenShard[];
  /** Every validation window, in stream order. */
  heldOut: TokenShard;
  /** Bigram (add-α) loss on exactly the held-out windows' targets, nats per character. */
  baseline: { bigramLoss: number; alpha: number };
};

export function prepareText(corpus: TextCorpus, opts: { context: number; seed: number; shards: number }): PreparedText {
  const { train, validation } = encodeCorpus(corpus);
  const trainWindows = windowsOf(train, opts.context);
  const heldOut = windowsOf(validation, opts.context);
  if (trainWindows.rows < opts.shards || heldOut.rows === 0) {
    throw new TextError(
      "text_too_small",
      `a context of ${opts.context} gives ${trainWindows.rows} training window(s) for ${opts.shards} shard(s) and ${heldOut.rows} validation window(s): ` +
        `each shard and the validation split need at least one window of ${opts.context + 1} characters`,
      { trainWindows: trainWindows.rows, validationWindows: heldOut.rows, shards: opts.shards, context: opts.context },
    );
  }
  const model = fitBigram(train, corpus.vocabulary.length, BIGRAM_ALPHA);
  return {
    vocabulary: corpus.vocabulary,
    shards: shardWindows(trainWindows, { seed: opts.seed, shards: opts.shards }),
    heldOut,
    baseline: { bigramLoss: bigramWindowsLoss(model, heldOut), alpha: BIGRAM_ALPHA },
  };
}
