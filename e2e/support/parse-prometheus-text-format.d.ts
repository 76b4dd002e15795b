// Types for parse-prometheus-text-format 1.1 (ships none); output shape as prom2json's.
declare module "parse-prometheus-text-format" {
  export type PromSample = { value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; quantiles?: Record<string, string>; count?: string; sum?: string };
  export type PromFamily = { name: string; help: string; type: "COUNTER" | "GAUGE" | "HISTOGRAM" | "SUMMARY" | "UNTYPED"; metrics: PromSample[] };
  export default function parsePrometheusTextFormat(text: string): PromFamily[];
}
