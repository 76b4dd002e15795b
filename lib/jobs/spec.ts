// The job spec and its hash. specHash = keccak256(UTF-8 bytes of canonicalJson(spec)), where
// canonicalJson writes objects with their keys sorted by UTF-16 code units, no whitespace, arrays in
// order, strings and numbers as JSON.stringify writes them (integers and finite decimals only; big
// amounts are decimal strings). For these values this is RFC 8785 (JCS), so anyone can recompute it.
import { keccak256, stringToBytes } from "viem";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function canonicalJson(v: Json): string {
  if (v === null || typeof v === "boolean" || typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error("canonical JSON has no NaN or Infinity");
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k]!)}`).join(",")}}`;
}

export const specHashOf = (spec: Json): `0x${string}` => keccak256(stringToBytes(canonicalJson(spec)));
