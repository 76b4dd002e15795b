// The transactions that put a job on chain, shared by the web app's create-task flow
// (components/create-task.ts) and the `corex jobs create --fund` command. Isomorphic.
import type { Address, Hex } from "viem";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import type { ContractTx } from "@/lib/chain/client";

/**
 * A created job's `createTask` (POST /api/jobs): the arguments of TaskManager.createTask, the fee in wei.
 * `provider` / `providerFeeBps`: the spec's dataset provider and share (zero address and 0 when none).
 */
export type TaskArgs = { specHash: Hex; fragmentCount: number; fee: string; minTier: number; provider?: Address; providerFeeBps?: number };
const NO_PROVIDER = "0x0000000000000000000000000000000000000000" as Address;
export type ContractAddresses = { taskManager: Address; token: Address };

/**
 * The transactions that put a job on chain, in order, each with its toast label: approving the CXT
 * fee when there is one, then TaskManager.createTask. Typed by the generated ABIs, so a contract
 * signature change fails typecheck.
 */
export function createTaskTxs(addresses: ContractAddresses, args: TaskArgs): { label: string; tx: ContractTx }[] {
  const fee = BigInt(args.fee);
  const approve: ContractTx<typeof cxtTokenAbi, "approve"> = { address: addresses.token, abi: cxtTokenAbi, functionName: "approve", args: [addresses.taskManager, fee] };
  const create: ContractTx<typeof taskManagerAbi, "createTask"> = {
    address: addresses.taskManager, abi: taskManagerAbi, functionName: "createTask", args: [args.specHash, args.fragmentCount, fee, args.minTier, args.provider ?? NO_PROVIDER, args.providerFeeBps ?? 0],
  };
  return [
    ...(fee > 0n ? [{ label: "Approve the CXT fee", tx: approve as unknown as ContractTx }] : []),
    { label: "Create the task on chain", tx: create as unknown as ContractTx },
  ];
}
