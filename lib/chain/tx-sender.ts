import "server-only";
import type { Abi, Account, Address, Chain, ContractFunctionArgs, ContractFunctionName, Hash, PublicClient, TransactionReceipt, Transport, WalletClient } from "viem";
import { replayRevert, revertReason } from "./tx-revert";

/** What the server sends with: a read client and a wallet holding the key (the coordinator's, a watchtower's). */
export type TxSigner = {
  client: PublicClient;
  wallet: WalletClient<Transport, Chain | undefined, Account>;
};

export type ServerTx<
  abi extends Abi = Abi,
  fn extends ContractFunctionName<abi, "nonpayable" | "payable"> = ContractFunctionName<abi, "nonpayable" | "payable">,
> = {
  address: Address;
  abi: abi;
  functionName: fn;
  args: ContractFunctionArgs<abi, "nonpayable" | "payable", fn>;
};

/** A transaction that was mined and reverted: it is on the chain and changed nothing. */
export class TxRevertedError extends Error {
  constructor(
    readonly functionName: string,
    readonly hash: Hash,
    /** The reason its replay on the state before its block gives, when it gives one. */
    readonly reason?: string,
  ) {
    super(`${functionName} reverted in ${hash}${reason ? `: ${reason}` : ""}`);
    this.name = "TxRevertedError";
  }
}

/**
 * The server's one way to send a contract transaction: simulates (so a revert is named before
 * anything is sent), sends, waits for the receipt. `onSent` hears the hash as soon as the
 * transaction is out: after that a failure (a lost receipt, a dead RPC) no longer means it will not
 * land, so a caller that records its intent must keep it (record the hash, check the chain later)
 * rather than undo it. A reverted receipt throws `TxRevertedError`; anything thrown before `onSent`
 * means nothing was sent.
 */
export async function sendTx<const abi extends Abi, fn extends ContractFunctionName<abi, "nonpayable" | "payable">>(
  signer: TxSigner,
  tx: ServerTx<abi, fn>,
  opts: { onSent?: (hash: Hash) => void | Promise<void> } = {},
): Promise<{ hash: Hash; receipt: TransactionReceipt }> {
  const call = { account: signer.wallet.account, address: tx.address, abi: tx.abi as Abi, functionName: tx.functionName as string, args: tx.args as readonly unknown[] };
  const { request } = await signer.client.simulateContract(call as Parameters<PublicClient["simulateContract"]>[0]);
  // Headroom as in tx-flow: a timestamp-keyed vote checkpoint (Staking) may be priced as an in-place
  // update by an estimate made in the same second as the last one.
  const gas = (await signer.client.estimateContractGas({ ...call, blockTag: "pending" } as Parameters<PublicClient["estimateContractGas"]>[0])) + 30_000n;
  // chain null when the wallet has none: the RPC's own chain is the one meant (it was simulated there).
  const hash = await signer.wallet.writeContract({ ...(request as object), gas, chain: signer.wallet.chain ?? null } as never);
  await opts.onSent?.(hash);
  const receipt = await signer.client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") {
    const replayed = await replayRevert(signer.client, call, receipt.blockNumber);
    throw new TxRevertedError(call.functionName, hash, replayed ? revertReason(replayed) : undefined);
  }
  return { hash, receipt };
}
