import { BaseError, ContractFunctionRevertedError, decodeErrorResult, type Abi, type Address, type Hex, type PublicClient } from "viem";
import { contractErrorsAbi } from "./contract-errors";
import { revertSentence } from "./revert-messages";

/**
 * A contract revert decoded from a viem error: the custom error with its named arguments when the
 * ABI knows it, else the require message. The one decoder of the browser's tx flow (a readable
 * toast) and the server's sender (a log line, a stored failure); null when the error is no revert.
 * An error the ABI in hand does not know (raised one call deeper: the CXT transfer inside
 * Staking.stake reverts with ERC20InsufficientBalance) is decoded against every contract error.
 */
export type DecodedRevert =
  | { errorName: string; args: { name?: string; value: unknown }[] }
  | { errorName?: undefined; message: string };

export function decodeRevert(err: unknown): DecodedRevert | null {
  if (!(err instanceof BaseError)) return null;
  const revert = err.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
  if (!revert) return null;
  const data = revert.data ?? decodeAnyError(revert.raw);
  const name = data?.errorName;
  if (data && name && name !== "Error" && name !== "Panic") {
    const inputs = (data.abiItem as { inputs?: readonly { name?: string }[] }).inputs ?? [];
    return { errorName: name, args: (data.args ?? []).map((value, i) => ({ name: inputs[i]?.name || undefined, value })) };
  }
  return { message: revert.reason ?? revert.shortMessage };
}

function decodeAnyError(raw: Hex | undefined) {
  if (!raw || raw.length < 10) return undefined;
  try {
    return decodeErrorResult({ abi: contractErrorsAbi, data: raw });
  } catch {
    return undefined;
  }
}

/** A decoded revert as a sentence for people: the custom error's own sentence, else the require message. */
export function revertText(r: DecodedRevert): string {
  return r.errorName !== undefined ? revertSentence(r.errorName, r.args) : r.message;
}

/** Why a call failed, in one line for logs and stored failures: `UnknownNode(99)`, a require message, else viem's short message. */
export function revertReason(err: unknown): string {
  const r = decodeRevert(err);
  if (r?.errorName !== undefined) return `${r.errorName}(${r.args.map((a) => String(a.value)).join(", ")})`;
  if (r) return r.message;
  return err instanceof BaseError ? err.shortMessage : err instanceof Error ? err.message : String(err);
}

/**
 * The error a transaction that was mined and reverted would have thrown: replays its call on the
 * state before its block (the state moved between simulation and inclusion). Undefined when the
 * replay passes (the cause was a transaction earlier in the same block) or cannot be run.
 */
export async function replayRevert(
  client: Pick<PublicClient, "simulateContract">,
  call: { address: Address; abi: Abi; functionName: string; args?: readonly unknown[]; value?: bigint; account: unknown },
  blockNumber: bigint,
): Promise<unknown> {
  try {
    await client.simulateContract({ ...call, blockNumber: blockNumber - 1n } as Parameters<PublicClient["simulateContract"]>[0]);
    return undefined;
  } catch (err) {
    return err;
  }
}
