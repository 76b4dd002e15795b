// Types shared by the per-contract handler files. Event arguments are derived from the ABIs in
// contracts-abi/ with viem's types (as Ponder's `ponder.on` handlers get them), so a renamed or
// retyped event parameter fails type-checking here instead of writing `undefined` into the mirror.
import type { ContractEventArgsFromTopics, ContractEventName } from "viem";
import type { contributionLedgerAbi, corexGovernorAbi, cxtTokenAbi, stakingAbi, taskManagerAbi, timelockControllerAbi } from "@/contracts-abi";
import type { ContractName } from "@/lib/chain";
import type { BatchStore } from "../store";
import type { Row, TableName } from "../tables";

export type { ContractName };

/** A decoded log as the decoder hands it over: args keyed by parameter name, as viem decodes them. */
export type IndexedEvent = {
  contract: ContractName;
  address: string;
  eventName: string;
  args: Record<string, unknown>;
  blockNumber: number;
  blockHash: string;
  txHash: string;
  logIndex: number;
  timestamp: string;
};

type ContractAbis = {
  CXTToken: typeof cxtTokenAbi;
  Staking: typeof stakingAbi;
  TaskManager: typeof taskManagerAbi;
  ContributionLedger: typeof contributionLedgerAbi;
  TimelockController: typeof timelockControllerAbi;
  CorexGovernor: typeof corexGovernorAbi;
};

export type EventName<C extends ContractName> = ContractEventName<ContractAbis[C]>;

/** All of an event's parameters (indexed or not), required, typed as viem decodes them. */
export type EventArgs<C extends ContractName, E extends EventName<C>> = ContractEventArgsFromTopics<ContractAbis[C], E>;

/** Where and when an event happened: everything but its arguments. */
export type EventMeta = Omit<IndexedEvent, "args">;

export type TypedEvent<C extends ContractName, E extends EventName<C>> = EventMeta & { contract: C; eventName: E; args: EventArgs<C, E> };

/** Rows a handler reads, declared up front so a batch loads each table's rows in one query. */
export type Keys = [TableName, Row][];

export type Handler<C extends ContractName, E extends EventName<C>> = {
  keys?: (e: TypedEvent<C, E>) => Keys;
  apply: (e: TypedEvent<C, E>, s: BatchStore) => void;
};

/** One contract's handlers; events without a handler are only kept as raw chain_events. */
export type ContractHandlers<C extends ContractName> = { [E in EventName<C>]?: Handler<C, E> };
