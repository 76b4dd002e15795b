/**
 * GELU, tanh form: gelu(x) = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (CPU reference). Every operation is
 * rounded to float32 and every constant is a float32 first, so WASM (f32 arithmetic) matches bit for bit.
 */

const f = Math.fround;

export const GELU_C = f(Math.sqrt(2 / Math.PI));
export const GELU_K = f(0.044715);
export const GELU_K3 = f(3 * 0.044715);

function inner(x: number): number {
  return f(GELU_C * f(x + f(GELU_K * f(f(x * x) * x))));
}

export function geluForwardRef(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    out[i] = f(f(0.5 * xi) * f(1 + f(Math.tanh(inner(xi)))));
  }
}

/** dx = dout · gelu′(x), from the forward's input x. */
export function geluBackwardRef(x: Float32Array, dout: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const th = f(Math.tanh(inner(xi)));
    const dudx = f(GELU_C * f(1 + f(GELU_K3 * f(xi * xi))));
    const d = f(f(0.5 * f(1 + th)) + f(f(f(0.5 * xi) * f(1 - f(th * th))) * dudx));
    dx[i] = f(dout[i] * d);
  }
}
