import "server-only";

export { runIndexer, wipeMirror, type IndexerOptions } from "./indexer";
export { getIndexerStatus, type IndexerStatus } from "./status";
export { DeepReorgError, DecodeError, FatalIndexerError } from "./errors";
export { acquireIndexerLock, type IndexerLock } from "./lock";
export { createDecoder } from "./decode";
export { createRpc, toHex } from "./rpc";
export type { RawLog } from "./rpc";
export type { ContractName } from "./handlers";
