// The job spec and its hash. specHash = keccak256(UTF-8 bytes of canonicalSpecJson(spec)), where
// canonicalSpecJson writes objects with their keys sorted by UTF-16 code units, no whitespace, arrays in
// order, strings and numbers as JSON.stringify writes them (integers and finite decimals only; big
// amounts are decimal strings). For these values this is RFC 8785 (JCS), so anyone can recompute it.
//
// lib/epochs/rules.ts has a second canonical form, canonicalEvidenceJson, for slash evidence. They are
// not interchangeable: that one puts integer-like keys ("9" before "10") in JavaScript's enumeration
// order where JCS sorts them as strings ("10" before "9"), writes bigints as strings and NaN as null
// where this one refuses them. Spec hashes are committed on-chain by TaskManager.createTask and
// evidence hashes by Staking.slash, so merging the two would change one kind of hash already posted.
import { keccak256, stringToBytes } from "viem";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function canonicalSpecJson(v: Json): string {
  if (v === null || typeof v === "boolean" || typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error("canonical JSON has no NaN or Infinity");
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(canonicalSpecJson).join(",")}]`;
  const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalSpecJson(v[k]!)}`).join(",")}}`;
}

export const specHashOf = (spec: Json): `0x${string}` => keccak256(stringToBytes(canonicalSpecJson(spec)));
