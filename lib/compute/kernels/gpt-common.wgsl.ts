/**
 * Pieces the GPT kernels share on WebGPU. Elementwise and per-row kernels run WG invocations per workgroup
 * on a 2-D grid of workgroups (a 1-D grid stops at 65,535 workgroups, ≈ 4M invocations), each invocation
 * computing its flat index from the grid; `flatGrid(count)` gives the dispatch for `count` invocations.
 */

export const WG = 64;

/** The invocation's flat index (bind `wg`, `nw` and `lid` in the entry point: see FLAT_MAIN_ARGS). */
export const FLAT_INDEX = `let gi = (wg.y * nw.x + wg.x) * ${WG}u + lid.x;`;
export const FLAT_MAIN_ARGS =
  "@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_id) lid: vec3u";

export function flatGrid(count: number): { x: number; y: number } {
  const groups = Math.max(1, Math.ceil(count / WG));
  const x = Math.min(groups, 65535);
  return { x, y: Math.ceil(groups / x) };
}

/**
 * A float32 constant as a WGSL f32 literal holding exactly the value the CPU reference uses. Constants must
 * not be written as WGSL expressions (`1.0 - 0.9`): those are evaluated in abstract (double) precision
 * and then rounded once, which is not the reference's f(1 − f(0.9)).
 */
export function f32Lit(x: number): string {
  const v = Math.fround(x);
  if (!Number.isFinite(v)) throw new RangeError(`not a finite f32: ${x}`);
  return `${v}f`;
}
