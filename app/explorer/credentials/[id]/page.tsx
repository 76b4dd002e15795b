import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { ApiError } from "@/lib/api";
import { contractAddress } from "@/lib/chain";
import { loadDeployment } from "@/lib/chain";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import { getCredentialProof } from "@/lib/epochs";
import { formatCount, formatFlops } from "@/lib/format";
import { ProofCheck } from "./_components/proof-check";

export const metadata: Metadata = { title: "Credential" };
export const dynamic = "force-dynamic";

export default async function CredentialPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const chainId = serverEnv().CHAIN_ID;
  const proof = await getCredentialProof(prisma, chainId, decodeURIComponent(id)).catch((e) => {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  });
  if (!proof) notFound();
  const ledger = contractAddress(await loadDeployment(chainId), "ContributionLedger");
  const names = ["id", "epoch", "node", "owner", "job", "fragment", "result hash", "work units", "role"];
  return (
    <>
      <PageHeader title="Credential">
        <span className="font-mono">{proof.id}</span> — checked in your browser against the credentials root the ContributionLedger holds.
      </PageHeader>
      {proof.status === "pending" ? (
        <p className="text-sm text-muted">Pending: this credential is sealed into the next epoch when it closes.</p>
      ) : (
        <>
          <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-1 text-sm">
            {proof.leaf.map((v, i) => (
              <div key={names[i]} className="contents">
                <dt className="text-muted">{names[i]} <span className="text-xs">({proof.leafEncoding[i]})</span></dt>
                <dd className="font-mono break-all">
                  {i === 2 ? (
                    <Link className="underline" href={`/nodes/${v}`}>
                      {v}
                    </Link>
                  ) : i === 7 && /^\d+$/.test(String(v)) ? (
                    // The one number language: "208,440 (208 kFLOP)", not a raw 208440; the leaf's exact value stays readable.
                    <span title={String(v)}>
                      {formatCount(BigInt(String(v)))} ({formatFlops(String(v))})
                    </span>
                  ) : (
                    v
                  )}
                </dd>
              </div>
            ))}
          </dl>
          <ProofCheck proof={proof} ledger={ledger ?? null} />
        </>
      )}
    </>
  );
}
