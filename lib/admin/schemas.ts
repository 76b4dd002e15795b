import { z } from "zod";

export const adminMetricsSchema = z
  .object({
    figures: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
    series: z.object({
      points: z.array(z.object({ at: z.string(), workPerMinute: z.number(), eventsPerMinute: z.number(), queued: z.number(), active: z.number(), lag: z.number().nullable(), reorgs: z.number(), activeNodes: z.number() })),
      emission: z.array(z.object({ epoch: z.string(), cxt: z.number(), workUnits: z.number() })),
    }),
  })
  .meta({ id: "AdminMetrics" });
