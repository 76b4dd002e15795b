// `corex jobs create --fund` / `corex jobs fund`: the web app's create-task flow from a key — the same
// transactions (lib/jobs createTaskTxs), sent by the server's transaction sender (lib/chain sendTx:
// simulate, estimate at pending, send, wait, name a revert). The CXT balance is checked first and the
// fee approved only when the allowance is short.
import { createPublicClient, createWalletClient, formatEther, http, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { contractAddress, decodeRevert, loadDeployment, resolveChain, revertReason, sendTx, TxRevertedError } from "@/lib/chain";
import { createTaskTxs, type TaskArgs } from "@/lib/jobs/client";
import { CliError } from "./output";

export type FundResult = { chainId: number; approveTx: Hex | null; createTaskTx: Hex };

export async function fundJob(o: { rpc: string; key: Hex; creator: string; task: TaskArgs; note: (line: string) => void }): Promise<FundResult> {
  const account = privateKeyToAccount(o.key);
  if (account.address.toLowerCase() !== o.creator.toLowerCase()) {
    throw new CliError(`the job was created by ${o.creator}, the key is ${account.address}: createTask must come from the creator's wallet`, "wrong_wallet");
  }
  const probe = createPublicClient({ transport: http(o.rpc) });
  const chainId = await probe.getChainId().catch((e: Error) => {
    throw new CliError(`no chain at ${o.rpc} (${e.message.split("\n")[0]}): pass --rpc`, "rpc_unreachable");
  });
  const deployment = await loadDeployment(chainId);
  const taskManager = contractAddress(deployment, "TaskManager");
  const token = contractAddress(deployment, "CXTToken");
  if (!taskManager || !token) throw new CliError(`no Corex deployment for chain ${chainId} (contracts-abi/deployments/${chainId}.json, or DEPLOYMENTS_DIR)`, "no_deployment");
  const chain = resolveChain({ chainId, rpcUrl: o.rpc });
  const client = createPublicClient({ chain, transport: http(o.rpc) });
  const wallet = createWalletClient({ account, chain, transport: http(o.rpc) });
  const signer = { client: client as never, wallet };

  const fee = BigInt(o.task.fee);
  const [balance, allowance] = await Promise.all([
    client.readContract({ address: token, abi: cxtTokenAbi, functionName: "balanceOf", args: [account.address] }),
    client.readContract({ address: token, abi: cxtTokenAbi, functionName: "allowance", args: [account.address, taskManager as Address] }),
  ]);
  if (balance < fee) throw new CliError(`the fee is ${formatEther(fee)} CXT but ${account.address} holds ${formatEther(balance)} CXT: lower it (corex jobs create --fee) or get CXT first`, "insufficient_balance");

  const txs = createTaskTxs({ taskManager, token }, o.task);
  let approveTx: Hex | null = null;
  let createTaskTx: Hex | null = null;
  for (const { label, tx } of txs) {
    if (tx.functionName === "approve" && allowance >= fee) continue;
    o.note(`${label}…`);
    try {
      const { hash } = await sendTx(signer, tx as never);
      if (tx.functionName === "approve") approveTx = hash;
      else createTaskTx = hash;
      o.note(`  ${tx.functionName} confirmed: ${hash}`);
    } catch (e) {
      const reason = e instanceof TxRevertedError ? e.message : decodeRevert(e) ? revertReason(e) : ((e as { shortMessage?: string }).shortMessage ?? (e as Error).message.split("\n")[0]);
      throw new CliError(`${tx.functionName} failed: ${reason}`, "tx_failed");
    }
  }
  return { chainId, approveTx, createTaskTx: createTaskTx! };
}
