// Value conversions and row helpers the per-contract handlers share.
import type { Row } from "../tables";
import type { EventMeta } from "./types";

export const ZERO = "0x0000000000000000000000000000000000000000";

export const addr = (v: unknown) => String(v).toLowerCase();
export const num = (v: unknown) => String(v as bigint | number | string);
export const add = (a: unknown, b: unknown) => (BigInt(a as string) + BigInt(b as string)).toString();
export const sub = (a: unknown, b: unknown) => (BigInt(a as string) - BigInt(b as string)).toString();
export const isoSeconds = (v: unknown) => (BigInt(v as bigint) === 0n ? null : new Date(Number(v) * 1000).toISOString());
export const hex = (v: unknown) => String(v).toLowerCase();

/** A row the event refers to must already be mirrored: a missing one means the mirror skipped an event. */
export function must(row: Row | null, what: string, e: EventMeta): Row {
  if (!row) throw new Error(`${e.contract}.${e.eventName} at block ${e.blockNumber} log ${e.logIndex}: unknown ${what}`);
  return row;
}
