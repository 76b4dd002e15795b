import "server-only";

// The server's side of lib/chain: its read client and its one transaction sender.
export { serverPublicClient } from "./server-client";
export { sendTx, TxRevertedError, type ServerTx, type TxSigner } from "./tx-sender";
export { decodeRevert, revertReason, type DecodedRevert } from "./tx-revert";
