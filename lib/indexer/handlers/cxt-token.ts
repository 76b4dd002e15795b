// CXTToken: balances and supply from Transfer (mints come from the zero address, burns go to it).
import type { BatchStore } from "../store";
import { ZERO, add, addr, num } from "./common";
import type { ContractHandlers, EventMeta, Keys, TypedEvent } from "./types";

type Transfer = TypedEvent<"CXTToken", "Transfer">;

function balanceKeys(e: Transfer): Keys {
  const token = addr(e.address);
  const from = addr(e.args.from);
  const to = addr(e.args.to);
  const keys: Keys = [];
  if (from !== ZERO) keys.push(["token_balances", { token, account: from }]);
  if (to !== ZERO) keys.push(["token_balances", { token, account: to }]);
  if (from === ZERO || to === ZERO) keys.push(["token_supplies", { token }]);
  return keys;
}

function moveBalance(s: BatchStore, e: EventMeta, token: string, account: string, delta: bigint) {
  const cur = s.get("token_balances", { token, account });
  const balance = BigInt((cur?.balance as string) ?? "0") + delta;
  if (balance < 0n) throw new Error(`negative balance for ${account} at block ${e.blockNumber}: the mirror missed a Transfer`);
  s.put("token_balances", { token, account, balance: balance.toString(), updated_block: num(e.blockNumber) }, e.blockNumber);
}

function applyTransfer(e: Transfer, s: BatchStore) {
  const token = addr(e.address);
  const from = addr(e.args.from);
  const to = addr(e.args.to);
  const value = BigInt(e.args.value);
  if (from !== ZERO) moveBalance(s, e, token, from, -value);
  if (to !== ZERO) moveBalance(s, e, token, to, value);
  if (from === ZERO || to === ZERO) {
    const cur = s.get("token_supplies", { token }) ?? { token, total_supply: "0", minted: "0", burned: "0" };
    s.put(
      "token_supplies",
      {
        ...cur,
        total_supply: (BigInt(cur.total_supply as string) + (from === ZERO ? value : 0n) - (to === ZERO ? value : 0n)).toString(),
        minted: from === ZERO ? add(cur.minted, value) : cur.minted,
        burned: to === ZERO ? add(cur.burned, value) : cur.burned,
        updated_block: num(e.blockNumber),
      },
      e.blockNumber,
    );
  }
}

export const cxtTokenHandlers: ContractHandlers<"CXTToken"> = {
  Transfer: { keys: balanceKeys, apply: applyTransfer },
};
