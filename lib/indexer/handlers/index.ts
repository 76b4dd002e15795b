// The handler registry: which function turns a mirrored (contract, event) into derived-table rows.
// Each handler declares the rows it reads (`keys`) so a batch loads them in one query per table, then
// `apply` runs in (block, log index) order against the in-memory BatchStore.
import type { BatchStore } from "../store";
import { contributionLedgerHandlers } from "./contribution-ledger";
import { corexGovernorHandlers } from "./corex-governor";
import { cxtTokenHandlers } from "./cxt-token";
import { stakingHandlers } from "./staking";
import { taskManagerHandlers } from "./task-manager";
import type { ContractHandlers, ContractName, IndexedEvent, Keys } from "./types";

export type { ContractName, IndexedEvent };

export const handlers: { [C in ContractName]: ContractHandlers<C> } = {
  CXTToken: cxtTokenHandlers,
  Staking: stakingHandlers,
  TaskManager: taskManagerHandlers,
  ContributionLedger: contributionLedgerHandlers,
  // The timelock's own events change no derived table: the governor reports queue and execution.
  TimelockController: {},
  CorexGovernor: corexGovernorHandlers,
};

/** A handler as the batch loop calls it, on an event whose args the decoder built from the same ABI. */
export type EventHandler = { keys?: (e: IndexedEvent) => Keys; apply: (e: IndexedEvent, s: BatchStore) => void };

/** The handler of a decoded event, or undefined when the mirror keeps only its raw chain_events row. */
export function handlerFor(e: IndexedEvent): EventHandler | undefined {
  const byEvent = handlers[e.contract] as Record<string, EventHandler | undefined> | undefined;
  return byEvent && Object.hasOwn(byEvent, e.eventName) ? byEvent[e.eventName] : undefined;
}
