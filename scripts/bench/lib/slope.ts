/** Least-squares slope of `ys` over `xs` (0 with fewer than two distinct xs). */
export function slope(xs: number[], ys: number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return 0;
  const mx = xs.slice(0, n).reduce((a, b) => a + b, 0) / n;
  const my = ys.slice(0, n).reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Standard error of `slope(xs, ys)`: √(Σ residual² / (n − 2) / Σ (x − x̄)²); Infinity with fewer than three
 * points. Resident memory saws up and down with garbage collection, so a slope is told from noise by
 * comparing it with this (and with the slope of the per-window floors), not by its sign alone.
 */
export function slopeStdError(xs: number[], ys: number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 3) return Infinity;
  const b = slope(xs, ys);
  const mx = xs.slice(0, n).reduce((a, c) => a + c, 0) / n;
  const my = ys.slice(0, n).reduce((a, c) => a + c, 0) / n;
  let ss = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    ss += (ys[i]! - (my + b * (xs[i]! - mx))) ** 2;
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? Infinity : Math.sqrt(ss / (n - 2) / den);
}

/** The lowest y in each window of `width` along x (windows from min x): memory's floor after each GC. */
export function windowFloors(xs: number[], ys: number[], width: number): { x: number; y: number }[] {
  const floors = new Map<number, { x: number; y: number }>();
  const x0 = Math.min(...xs);
  xs.forEach((x, i) => {
    const k = Math.floor((x - x0) / width);
    const cur = floors.get(k);
    if (!cur || ys[i]! < cur.y) floors.set(k, { x, y: ys[i]! });
  });
  return [...floors.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}
