// The coordinator's view of the chain for epochs, claims, slashes and fees: a read client, a wallet
// holding the coordinator key (ORACLE_ROLE, COORDINATOR_ROLE), the slasher's own signer (SLASHER_ROLE is
// never the oracle's key) and the contract addresses. It sends with lib/chain's one sender (sendTx),
// which it is a TxSigner for.
import type { Address } from "viem";
import type { TxSigner } from "@/lib/chain";

export type EpochChain = TxSigner & {
  chainId: number;
  addresses: { ledger: Address; staking: Address; tasks: Address; token: Address };
  /** Signs `Staking.slash` (SLASHER_ROLE); absent: faults are recorded as failed, not slashed. */
  slasher?: TxSigner;
};
