/**
 * `npm run resolve-dispute -- --api <url> --rpc <url> --epoch n [--ledger 0x…] [--key 0x…] [--dry-run]`
 *
 * The resolver's tool. It re-verifies the WHOLE disputed epoch — credentials root and count, every reward
 * leaf from the published rules with stakes and tiers read from the chain, the total — with the
 * watchtower's own code (`verifyEpoch` of scripts/verify-epoch.ts, so both judge by one implementation),
 * never only the reason a disputer gave. Then, for every dispute still open on the epoch, it sends the
 * verdict: `resolveDispute(epoch, index, upheld = the epoch is inconsistent)` before the dispute's
 * `resolveBy`, or `settleDispute` (upheld, as anyone may) once that has passed. A decoy dispute on a bad
 * epoch is therefore upheld like the honest one: the verdict is about the epoch, not the evidence.
 * Exit code: 0 every open dispute settled (or none), 1 verification failed to run, 2 error.
 */
import { createPublicClient, createWalletClient, http, type Address, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { contributionLedgerAbi } from "@/contracts-abi/contribution-ledger";
import { sendTx } from "@/lib/chain";
import { parseEnv, resolveDisputeEnvSchema } from "@/lib/config";
import { verifyEpoch } from "./verify-epoch";

export type ResolveOptions = { api: string; rpc: string; epoch: bigint; ledger?: Address; key?: Hex; dryRun?: boolean; log?: (s: string) => void };
export type Verdict = { index: bigint; upheld: boolean; how: "resolved" | "settled" | "dry-run"; tx?: Hex };
export type ResolveResult = { epoch: bigint; ok: boolean; problems: string[]; verdicts: Verdict[] };

type DisputeView = { disputer: Address; nodeId: bigint; bond: bigint; resolveBy: bigint; state: number };
const OPEN = 1;

export async function resolveDisputes(o: ResolveOptions): Promise<ResolveResult> {
  const log = o.log ?? console.log;
  // The same verification the watchtower runs, over the whole epoch.
  const v = await verifyEpoch({ api: o.api, rpc: o.rpc, epoch: o.epoch, ledger: o.ledger, log });
  const ledger = o.ledger ?? v.ledger;
  if (!ledger) throw new Error(`cannot tell the ledger of epoch ${o.epoch}: pass --ledger (${v.problems.join("; ")})`);
  const upheld = !v.ok;
  const client = createPublicClient({ transport: http(o.rpc) }) as PublicClient;
  const read = <T>(functionName: string, args: readonly unknown[]) => client.readContract({ address: ledger, abi: contributionLedgerAbi, functionName, args } as never) as Promise<T>;
  const [raised] = await read<[bigint, bigint]>("disputeCount", [o.epoch]);
  const signer = o.key && !o.dryRun ? await signerFor(client, o.rpc, o.key) : undefined;
  const now = (await client.getBlock()).timestamp;
  const verdicts: Verdict[] = [];
  for (let index = 0n; index < raised; index++) {
    const d = await read<DisputeView>("getDispute", [o.epoch, index]);
    if (d.state !== OPEN) continue;
    const late = now > d.resolveBy;
    if (!signer) {
      verdicts.push({ index, upheld: late || upheld, how: "dry-run" });
      continue;
    }
    const { hash } = late
      ? await sendTx(signer, { address: ledger, abi: contributionLedgerAbi, functionName: "settleDispute", args: [o.epoch, index] })
      : await sendTx(signer, { address: ledger, abi: contributionLedgerAbi, functionName: "resolveDispute", args: [o.epoch, index, upheld] });
    verdicts.push({ index, upheld: late || upheld, how: late ? "settled" : "resolved", tx: hash });
    log(`epoch ${o.epoch} dispute ${index} by ${d.disputer} (node ${d.nodeId}): ${late || upheld ? "upheld" : "rejected"}${late ? " (past resolveBy)" : ""}: ${hash}`);
  }
  if (verdicts.length === 0) log(`epoch ${o.epoch}: no open dispute`);
  return { epoch: o.epoch, ok: v.ok, problems: v.problems, verdicts };
}

async function signerFor(client: PublicClient, rpc: string, key: Hex) {
  const chain = { id: await client.getChainId(), name: "chain", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [rpc] } } };
  return { client, wallet: createWalletClient({ account: privateKeyToAccount(key), chain, transport: http(rpc) }) };
}

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv = process.argv.slice(2)) {
  const env = parseEnv("resolve-dispute", resolveDisputeEnvSchema);
  const [api, rpc, epoch] = [arg(argv, "api"), arg(argv, "rpc"), arg(argv, "epoch")];
  if (!api || !rpc || !epoch) throw new Error("usage: npm run resolve-dispute -- --api <url> --rpc <url> --epoch n [--ledger 0x…] [--key 0x…] [--dry-run]");
  const key = arg(argv, "key") ?? env.RESOLVER_KEY;
  if (key && !/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error("--key must be a 0x-prefixed 32-byte hex key");
  const dryRun = argv.includes("--dry-run") || !key;
  if (!key) console.log("no --key or RESOLVER_KEY: dry run, nothing is sent");
  await resolveDisputes({ api, rpc, epoch: BigInt(epoch), ledger: arg(argv, "ledger") as Address | undefined, key: key as Hex | undefined, dryRun });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(`resolve-dispute: ${(e as Error).message}`);
    process.exitCode = 2;
  });
}
