"use client";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { useEffect, useState } from "react";
import { createPublicClient, http, type Address, type Hex } from "viem";
import { contributionLedgerAbi } from "@/contracts-abi/contribution-ledger";
import { useWalletConfig } from "@/components/wallet";

type Proof = { epoch: number | null; leaf: string[]; leafEncoding: string[]; proof: string[]; root: string | null };
type Check = { state: "checking" } | { state: "verified" | "not verified"; chainRoot: string; reason?: string } | { state: "error"; reason: string };

/** Reads the epoch's credentials root from the chain (viem, the public RPC) and verifies the proof here. */
export function ProofCheck({ proof, ledger }: { proof: Proof; ledger: Address | null }) {
  const { rpcUrl } = useWalletConfig();
  const [check, setCheck] = useState<Check>({ state: "checking" });
  useEffect(() => {
    if (!ledger || proof.epoch === null) return;
    let live = true;
    (async () => {
      const client = createPublicClient({ transport: http(rpcUrl) });
      const e = await client.readContract({ address: ledger, abi: contributionLedgerAbi, functionName: "getEpoch", args: [BigInt(proof.epoch!)] });
      const chainRoot = (e as { credentialsRoot: Hex }).credentialsRoot.toLowerCase();
      let ok = false;
      let reason: string | undefined;
      try {
        ok = StandardMerkleTree.verify(chainRoot, proof.leafEncoding, proof.leaf, proof.proof);
      } catch (err) {
        reason = (err as Error).message;
      }
      if (live) setCheck({ state: ok ? "verified" : "not verified", chainRoot, reason });
    })().catch((err: Error) => live && setCheck({ state: "error", reason: err.message.split("\n")[0] ?? "failed" }));
    return () => {
      live = false;
    };
  }, [ledger, proof, rpcUrl]);
  if (!ledger) return <p className="mt-4 text-sm text-muted">No ContributionLedger deployment for this chain: nothing to verify against.</p>;
  return (
    <div className="mt-6 space-y-1 text-sm" data-testid="proof-check">
      <p>
        Proof ({proof.proof.length} hashes) against epoch {proof.epoch}&apos;s root on the chain:{" "}
        <strong data-testid="proof-state">{check.state === "checking" ? "checking…" : check.state}</strong>
      </p>
      {"chainRoot" in check && <p className="font-mono text-xs break-all text-muted">chain root {check.chainRoot}</p>}
      {"reason" in check && check.reason && <p className="text-xs text-muted">{check.reason}</p>}
    </div>
  );
}
