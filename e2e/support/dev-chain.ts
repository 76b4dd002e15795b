import { e2eRpcUrl } from "./injected-wallet";

let id = 1;

/** A raw JSON-RPC call to the e2e dev chain (anvil), for what a test does that no user can: time travel, mining. */
export async function devRpc<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(e2eRpcUrl(), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: id++, method, params }) });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/** Moves the chain's clock forward and mines a block stamped with the new time. */
export async function timeTravel(seconds: number): Promise<void> {
  await devRpc("evm_increaseTime", [seconds]);
  await devRpc("evm_mine");
}

export async function mineBlocks(count: number): Promise<void> {
  await devRpc("anvil_mine", [`0x${count.toString(16)}`]);
}
