import { collectDefaultMetrics, Registry } from "prom-client";

// One registry per process, cached on globalThis so Next's dev hot reload does not register the
// same metric twice ("A metric with the name … has already been registered").
const g = globalThis as { __corexMetrics?: Registry };

export function metricsRegistry(): Registry {
  if (!g.__corexMetrics) {
    g.__corexMetrics = new Registry();
    // prom-client's default names already start with process_ / nodejs_: the prefix is only ours.
    collectDefaultMetrics({ register: g.__corexMetrics, prefix: "corex_" });
  }
  return g.__corexMetrics;
}

/** Returns the metric registered under `name`, creating it on first use. */
export function metric<T>(name: string, create: (registry: Registry) => T): T {
  const r = metricsRegistry();
  return (r.getSingleMetric(name) as T | undefined) ?? create(r);
}
