import { decodeFunctionData, encodeFunctionData } from "viem";
import { describe, expect, it } from "vitest";
import { createTaskTxs } from "./create-task";

const addresses = { taskManager: "0x00000000000000000000000000000000000000aa", token: "0x00000000000000000000000000000000000000bb" } as const;
const specHash = `0x${"12".repeat(32)}` as const;

describe("createTaskTxs", () => {
  it("approves the fee for the TaskManager first, then creates the task escrowing it", () => {
    const txs = createTaskTxs(addresses, { specHash, fragmentCount: 6, fee: "5000", minTier: 1 });
    expect(txs.map((t) => [t.label, t.tx.address, t.tx.functionName])).toEqual([
      ["Approve the CXT fee", addresses.token, "approve"],
      ["Create the task on chain", addresses.taskManager, "createTask"],
    ]);
    expect(txs[0]!.tx.args).toEqual([addresses.taskManager, 5000n]);
    expect(txs[1]!.tx.args).toEqual([specHash, 6, 5000n, 1, "0x0000000000000000000000000000000000000000", 0]);
    // the arguments encode against the generated ABI
    const data = encodeFunctionData({ abi: txs[1]!.tx.abi, functionName: txs[1]!.tx.functionName, args: txs[1]!.tx.args } as never);
    expect(decodeFunctionData({ abi: txs[1]!.tx.abi, data }).args).toEqual([specHash, 6, 5000n, 1, "0x0000000000000000000000000000000000000000", 0]);
  });

  it("carries the spec's dataset provider and its share", () => {
    const provider = "0x00000000000000000000000000000000000000cc" as const;
    const txs = createTaskTxs(addresses, { specHash, fragmentCount: 6, fee: "5000", minTier: 1, provider, providerFeeBps: 1_500 });
    expect(txs[1]!.tx.args).toEqual([specHash, 6, 5000n, 1, provider, 1_500]);
  });

  it("sends createTask alone when there is no fee", () => {
    expect(createTaskTxs(addresses, { specHash, fragmentCount: 2, fee: "0", minTier: 0 }).map((t) => t.tx.functionName)).toEqual(["createTask"]);
  });
});
