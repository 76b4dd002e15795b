import { describe, expect, it } from "vitest";
import { ContractFunctionRevertedError, encodeErrorResult, parseEther, type Abi, type AbiParameter } from "viem";
import * as abis from "@/contracts-abi";
import { stakingAbi } from "@/contracts-abi";
import { contractErrorsAbi } from "./contract-errors";
import { revertSentence, revertSentences } from "./revert-messages";
import { decodeRevert, revertText } from "./tx-revert";
import { describeTxError } from "./tx-flow";

const sample = (p: AbiParameter): unknown =>
  p.type === "address" ? "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" : p.type === "string" ? "x" : p.type.startsWith("bytes") ? `0x${"ab".repeat(32)}` : 1n;

describe("contract revert sentences", () => {
  it("lists every custom error of every deployed contract ABI", () => {
    const names = new Set<string>();
    for (const abi of Object.values(abis) as Abi[]) for (const item of abi) if (item.type === "error") names.add(item.name);
    expect(contractErrorsAbi.map((e) => e.name).sort()).toEqual([...names].sort());
  });

  it("has a sentence for each, built from its arguments, without a raw error name", () => {
    for (const e of contractErrorsAbi) {
      const text = revertSentence(e.name, e.inputs.map((p) => ({ name: p.name, value: sample(p as AbiParameter) })));
      expect(text, e.name).toMatch(/[.!]$/);
      expect(text, e.name).not.toContain(e.name);
    }
    expect(Object.keys(revertSentences)).toHaveLength(contractErrorsAbi.length);
  });

  it("decodes an OpenZeppelin error raised below the ABI in hand (0xe450d38c from the token inside Staking.stake)", () => {
    const raw = encodeErrorResult({ abi: contractErrorsAbi, errorName: "ERC20InsufficientBalance", args: ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 0n, parseEther("100")] });
    expect(raw.startsWith("0xe450d38c")).toBe(true);
    const err = new ContractFunctionRevertedError({ abi: stakingAbi as Abi, data: raw, functionName: "stake" });
    const decoded = decodeRevert(err)!;
    expect(decoded.errorName).toBe("ERC20InsufficientBalance");
    expect(revertText(decoded)).toBe("Insufficient CXT balance: the wallet holds 0 CXT and this needs 100 CXT.");
    expect(describeTxError(err)).toEqual({ reason: "Insufficient CXT balance: the wallet holds 0 CXT and this needs 100 CXT.", errorName: "ERC20InsufficientBalance" });
  });

  it("keeps a require message and words an error it does not know", () => {
    const err = new ContractFunctionRevertedError({ abi: stakingAbi as Abi, functionName: "stake", message: "paused" });
    expect(describeTxError(err).reason).toBe("paused");
    expect(revertSentence("SomethingOdd", [{ name: "id", value: 3n }])).toBe("Something odd (id 3).");
  });
});
