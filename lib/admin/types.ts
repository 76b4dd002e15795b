export type AdminPoint = {
  at: string;
  /** Verified work added since the previous sample, per minute (FLOP/min). */
  workPerMinute: number;
  /** Chain events indexed since the previous sample, per minute. */
  eventsPerMinute: number;
  queued: number;
  active: number;
  lag: number | null;
  reorgs: number;
  activeNodes: number;
};

export type AdminSeries = {
  points: AdminPoint[];
  emission: { epoch: string; cxt: number; workUnits: number }[];
};

