/** How far a result is from the reference: ‖x − ref‖₂ / ‖ref‖₂ and max |x − ref| (the tolerance figures). */
export type WeightDifference = { relativeL2: number; maxAbs: number };

export function compareWeights(x: Float32Array, ref: Float32Array): WeightDifference {
  if (x.length !== ref.length) throw new RangeError(`lengths differ: ${x.length} vs ${ref.length}`);
  let num = 0;
  let den = 0;
  let maxAbs = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - ref[i];
    num += d * d;
    den += ref[i] * ref[i];
    maxAbs = Math.max(maxAbs, Math.abs(d));
  }
  return { relativeL2: den === 0 ? Math.sqrt(num) : Math.sqrt(num / den), maxAbs };
}
