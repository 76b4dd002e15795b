import { decodeAbiParameters, toEventSelector, type Abi, type AbiEvent, type AbiParameter } from "viem";
import { DecodeError } from "./errors";
import type { ContractName, IndexedEvent } from "./handlers";
import type { RawLog } from "./rpc";

type CompiledEvent = { name: string; indexed: AbiParameter[]; data: AbiParameter[]; inputs: readonly AbiParameter[] };

export type ContractSource = { name: ContractName; address: string; startBlock: number; abi: Abi };

export type Decoder = { addresses: string[]; decode(log: RawLog, timestamp: string): IndexedEvent | null };

const DYNAMIC = /^(string|bytes|tuple)$|\[\]$|\[\d+\]$/;

/**
 * Decoding by hand from per-contract topic0 tables (viem's decodeEventLog would hash every ABI event
 * signature on every log). A log from a followed address whose topic0 is a known event but which does
 * not decode is fatal: the ABI and the chain disagree and the mirror cannot be trusted.
 */
export function createDecoder(sources: ContractSource[]): Decoder {
  const byAddress = new Map<string, { name: ContractName; events: Map<string, CompiledEvent> }>();
  for (const src of sources) {
    const events = new Map<string, CompiledEvent>();
    for (const item of src.abi) {
      if (item.type !== "event" || item.anonymous) continue;
      const ev = item as AbiEvent;
      events.set(toEventSelector(ev), {
        name: ev.name,
        inputs: ev.inputs,
        indexed: ev.inputs.filter((i) => i.indexed),
        data: ev.inputs.filter((i) => !i.indexed),
      });
    }
    byAddress.set(src.address.toLowerCase(), { name: src.name, events });
  }
  return {
    addresses: [...byAddress.keys()],
    decode(log, timestamp) {
      const c = byAddress.get(log.address.toLowerCase());
      const topic0 = log.topics[0];
      if (!c || !topic0) return null;
      const ev = c.events.get(topic0.toLowerCase());
      if (!ev) return null;
      const args: Record<string, unknown> = {};
      try {
        if (log.topics.length !== ev.indexed.length + 1) throw new Error(`${log.topics.length - 1} indexed topics, expected ${ev.indexed.length}`);
        ev.indexed.forEach((p, i) => {
          const topic = log.topics[i + 1] as `0x${string}`;
          // Dynamic indexed values are stored as their keccak hash.
          args[p.name!] = DYNAMIC.test(p.type) ? topic : decodeAbiParameters([p], topic)[0];
        });
        if (ev.data.length) {
          const values = decodeAbiParameters(ev.data, log.data as `0x${string}`);
          ev.data.forEach((p, i) => (args[p.name!] = values[i]));
        }
      } catch (e) {
        throw new DecodeError(
          `cannot decode ${c.name}.${ev.name} in tx ${log.transactionHash} log ${Number(log.logIndex)} (block ${Number(log.blockNumber)}): ${(e as Error).message}`,
        );
      }
      return {
        contract: c.name,
        address: log.address.toLowerCase(),
        eventName: ev.name,
        args,
        blockNumber: Number(log.blockNumber),
        blockHash: log.blockHash.toLowerCase(),
        txHash: log.transactionHash.toLowerCase(),
        logIndex: Number(log.logIndex),
        timestamp,
      };
    },
  };
}

/** JSON-safe copy of decoded args (bigint → decimal string, addresses lowercased). */
export function jsonArgs(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) out[k] = toJson(v);
  return out;
}

function toJson(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "string") return /^0x[0-9a-fA-F]{40}$/.test(v) ? v.toLowerCase() : v;
  if (Array.isArray(v)) return v.map(toJson);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
  return v;
}
