import {
  BaseError,
  InsufficientFundsError,
  UserRejectedRequestError,
  type Abi,
  type Account,
  type Address,
  type Chain,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type Hash,
  type PublicClient,
  type TransactionReceipt,
  type WalletClient,
} from "viem";
import { explorerTxUrl } from "./chains";
import { decodeRevert, replayRevert, revertText } from "./tx-revert";

export { explorerTxUrl };

/**
 * One contract transaction, told stage by stage — the shape every transaction toast shows:
 * checking (simulation, so a revert is explained before anything is signed) → sign (the wallet's
 * prompt) → pending (sent; the gas estimate it was sent with) → confirmed | failed.
 */
export type TxStage =
  | { stage: "checking" }
  | { stage: "sign"; gas: bigint }
  | { stage: "pending"; hash: Hash; gas: bigint }
  | { stage: "confirmed"; hash: Hash; receipt: TransactionReceipt }
  | { stage: "failed"; reason: string; errorName?: string; hash?: Hash; rejected?: boolean };

export type TxFailure = Extract<TxStage, { stage: "failed" }>;

export type ContractTx<
  abi extends Abi = Abi,
  fn extends ContractFunctionName<abi, "nonpayable" | "payable"> = ContractFunctionName<abi, "nonpayable" | "payable">,
> = {
  address: Address;
  abi: abi;
  functionName: fn;
  args?: ContractFunctionArgs<abi, "nonpayable" | "payable", fn>;
  value?: bigint;
};

/**
 * A readable reason for a failed wallet or contract call: a contract's custom error as a sentence
 * (lib/chain/revert-messages.ts: "There is no node #99."), a require message, a rejection in the
 * wallet, missing gas money; otherwise viem's short message.
 */
export function describeTxError(err: unknown): Omit<TxFailure, "stage" | "hash"> {
  if (!(err instanceof BaseError)) return { reason: err instanceof Error ? err.message : String(err) };
  const rejected = err.walk((e) => e instanceof UserRejectedRequestError || (e as { code?: number }).code === 4001);
  if (rejected) return { reason: "You rejected the request in your wallet.", rejected: true };
  const revert = decodeRevert(err);
  if (revert) return { reason: revertText(revert), ...(revert.errorName !== undefined ? { errorName: revert.errorName } : {}) };
  if (err.walk((e) => e instanceof InsufficientFundsError)) return { reason: "Not enough ETH in the wallet to pay for gas." };
  return { reason: err.shortMessage || err.message };
}

/**
 * Simulates, estimates gas at the `pending` block, asks the wallet to sign and send, and waits for
 * the receipt, calling `onStage` at each step. Gas at `pending`, not `latest`: an ERC20Votes mint
 * or burn right after another one in the previous block is under-priced at `latest`
 * (contracts/README.md → Gas estimation trap). Never throws: a failure is the last stage.
 */
export async function sendContractTx(opts: {
  publicClient: PublicClient;
  walletClient: WalletClient;
  account: Account | Address;
  chain: Chain;
  tx: ContractTx;
  onStage?: (stage: TxStage) => void;
}): Promise<Extract<TxStage, { stage: "confirmed" | "failed" }>> {
  const { publicClient, walletClient, account, chain, tx } = opts;
  const emit = <S extends TxStage>(s: S): S => {
    opts.onStage?.(s);
    return s;
  };
  const call = { address: tx.address, abi: tx.abi, functionName: tx.functionName, args: tx.args, value: tx.value, account } as const;
  emit({ stage: "checking" });
  let gas: bigint;
  try {
    await publicClient.simulateContract(call as Parameters<PublicClient["simulateContract"]>[0]);
    // + 30,000: Staking's vote checkpoints are keyed by timestamp, and on a chain (anvil) that can mine the
    // pending block in the same second as the last checkpoint the estimate prices an in-place update where
    // the mined transaction pushes a new checkpoint slot (≈ 22,100 gas more).
    gas = (await publicClient.estimateContractGas({ ...call, blockTag: "pending" } as Parameters<PublicClient["estimateContractGas"]>[0])) + 30_000n;
  } catch (err) {
    return emit({ stage: "failed", ...describeTxError(err) });
  }
  emit({ stage: "sign", gas });
  let hash: Hash;
  try {
    hash = await walletClient.writeContract({ ...call, gas, chain } as Parameters<WalletClient["writeContract"]>[0]);
  } catch (err) {
    return emit({ stage: "failed", ...describeTxError(err) });
  }
  emit({ stage: "pending", hash, gas });
  let receipt: TransactionReceipt;
  try {
    receipt = await publicClient.waitForTransactionReceipt({ hash });
  } catch (err) {
    return emit({ stage: "failed", hash, ...describeTxError(err) });
  }
  if (receipt.status === "success") return emit({ stage: "confirmed", hash, receipt });
  // Mined but reverted (the state moved between simulation and inclusion): replay it on the state it
  // ran against to name the reason.
  const replayed = await replayRevert(publicClient, call, receipt.blockNumber);
  const failure: Omit<TxFailure, "stage" | "hash"> = replayed ? describeTxError(replayed) : { reason: "The transaction reverted on chain." };
  return emit({ stage: "failed", hash, ...failure });
}

