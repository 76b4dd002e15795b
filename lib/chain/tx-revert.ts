import { BaseError, ContractFunctionRevertedError, type Abi, type Address, type PublicClient } from "viem";

/**
 * A contract revert decoded from a viem error: the custom error with its named arguments when the
 * ABI knows it, else the require message. The one decoder of the browser's tx flow (a readable
 * toast) and the server's sender (a log line, a stored failure); null when the error is no revert.
 */
export type DecodedRevert =
  | { errorName: string; args: { name?: string; value: unknown }[] }
  | { errorName?: undefined; message: string };

export function decodeRevert(err: unknown): DecodedRevert | null {
  if (!(err instanceof BaseError)) return null;
  const revert = err.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
  if (!revert) return null;
  const name = revert.data?.errorName;
  if (name && name !== "Error" && name !== "Panic") {
    const inputs = (revert.data!.abiItem as { inputs?: readonly { name?: string }[] }).inputs ?? [];
    return { errorName: name, args: (revert.data!.args ?? []).map((value, i) => ({ name: inputs[i]?.name || undefined, value })) };
  }
  return { message: revert.reason ?? revert.shortMessage };
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
