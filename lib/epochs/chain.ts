// The coordinator's view of the chain for epochs, claims, slashes and fees: a read client, a wallet
// holding the coordinator key (ORACLE_ROLE, SLASHER_ROLE, COORDINATOR_ROLE) and the contract addresses.
import { BaseError, ContractFunctionRevertedError, type Abi, type Account, type Address, type Chain, type Hash, type PublicClient, type TransactionReceipt, type Transport, type WalletClient } from "viem";

export type EpochChain = {
  chainId: number;
  client: PublicClient;
  wallet: WalletClient<Transport, Chain | undefined, Account>;
  addresses: { ledger: Address; staking: Address; tasks: Address; token: Address };
};

/** Why a call reverted, by custom error name when the ABI knows it. */
export function revertReason(e: unknown): string {
  if (e instanceof BaseError) {
    const r = e.walk((x) => x instanceof ContractFunctionRevertedError);
    if (r instanceof ContractFunctionRevertedError) return r.data?.errorName ? `${r.data.errorName}(${(r.data.args ?? []).map(String).join(", ")})` : r.shortMessage;
    return e.shortMessage;
  }
  return (e as Error).message;
}

/** A transaction that was mined and reverted: it is on the chain and changed nothing. */
export class TxRevertedError extends Error {
  constructor(functionName: string, readonly hash: Hash) {
    super(`${functionName} reverted in ${hash}`);
    this.name = "TxRevertedError";
  }
}

/**
 * Simulates (so a revert is named before anything is sent), sends, waits for the receipt. `onSent`
 * hears the hash as soon as the transaction is out: after that a failure (a lost receipt, a dead RPC)
 * no longer means it will not land.
 */
export async function sendTx(
  chain: EpochChain, address: Address, abi: Abi, functionName: string, args: readonly unknown[], opts: { onSent?: (hash: Hash) => void } = {},
): Promise<{ hash: Hash; receipt: TransactionReceipt }> {
  const { request } = await chain.client.simulateContract({ account: chain.wallet.account, address, abi, functionName, args } as never);
  const hash = await chain.wallet.writeContract(request as never);
  opts.onSent?.(hash);
  const receipt = await chain.client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new TxRevertedError(functionName, hash);
  return { hash, receipt };
}
