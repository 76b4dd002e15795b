import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { WalletBoundary } from "@/components/wallet";
import { PublishForm } from "./_components/publish-form";

export const metadata: Metadata = { title: "Publish a dataset" };
export const dynamic = "force-dynamic";

export default async function PublishPage({ searchParams }: { searchParams: Promise<{ supersedes?: string | string[] }> }) {
  const s = (await searchParams).supersedes;
  const supersedes = typeof s === "string" && /^[0-9a-f-]{36}$/i.test(s) ? s : null;
  return (
    <>
      <PageHeader title="Publish a dataset">
        Upload a CSV or a text file and publish it with a licence and your share of every job&apos;s fee. Anyone can then
        find it in the catalogue and train on it; each job&apos;s spec names its content hash, you and your share.
      </PageHeader>
      <WalletBoundary fallback={<Skeleton className="h-64" />}>
        <PublishForm supersedes={supersedes} />
      </WalletBoundary>
    </>
  );
}
