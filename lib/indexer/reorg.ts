import { DeepReorgError } from "./errors";

export type BlockRef = { number: number; hash: string };

/**
 * Walks back from the checkpoint over the recent blocks we stored (number → hash) and returns the
 * highest block whose stored hash equals the chain's: the common ancestor. We can only revert
 * blocks we stored (their undo journal exists), so running out of stored blocks, or going more
 * than `finalityDepth` below the checkpoint, is a deep reorg: fatal.
 */
export async function findCommonAncestor(opts: {
  chainId: number;
  checkpoint: BlockRef;
  stored: Map<number, string>;
  finalityDepth: number;
  chainHash: (n: number) => Promise<string | null>;
}): Promise<BlockRef> {
  const { checkpoint, stored, finalityDepth } = opts;
  for (let n = checkpoint.number; n >= checkpoint.number - finalityDepth && n >= 0; n--) {
    const ours = n === checkpoint.number ? checkpoint.hash : stored.get(n);
    if (ours === undefined) {
      throw new DeepReorgError(opts.chainId, checkpoint.number, finalityDepth, `block ${n} changed and is older than the blocks kept for reorgs`);
    }
    const theirs = await opts.chainHash(n);
    if (theirs !== null && theirs.toLowerCase() === ours.toLowerCase()) return { number: n, hash: ours };
  }
  throw new DeepReorgError(opts.chainId, checkpoint.number, finalityDepth, `no common ancestor within ${finalityDepth} blocks`);
}

/** Checks that `headers` (ascending, contiguous) chain onto `parent` by parent hash. */
export function verifyChain(parent: BlockRef | null, headers: { number: number; hash: string; parentHash: string }[]): string | null {
  let prev = parent;
  for (const h of headers) {
    if (prev && h.number === prev.number + 1 && h.parentHash.toLowerCase() !== prev.hash.toLowerCase()) {
      return `block ${h.number}'s parent ${h.parentHash} is not ${prev.hash}`;
    }
    if (prev && h.number !== prev.number + 1) return `block ${h.number} does not follow ${prev.number}`;
    prev = { number: h.number, hash: h.hash };
  }
  return null;
}
