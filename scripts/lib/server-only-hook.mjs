// A Node module hook for scripts that import server modules outside Next: `server-only` throws unless
// resolved under the `react-server` condition, and that condition hides React's client API (createContext)
// from the isomorphic modules the same import graph reaches. The vitest config aliases it the same way.
export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: "data:text/javascript,export {};", shortCircuit: true };
  return next(specifier, context);
}
