import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { CredentialsTable } from "@/components/credentials-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/page-header";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import { credentialListQuerySchema, listCredentials } from "@/lib/epochs";
import { ExplorerSearch } from "../_components/explorer-search";

export const metadata: Metadata = { title: "Explorer search" };
export const dynamic = "force-dynamic";

export default async function SearchPage({ searchParams }: { searchParams: Promise<{ by?: string; q?: string; cursor?: string }> }) {
  const { by = "credential", q = "", cursor } = await searchParams;
  const value = q.trim();
  if (by === "credential" && value) redirect(`/explorer/credentials/${encodeURIComponent(value)}`);
  const filter = by === "node" ? { node: value } : by === "job" ? { job: value } : by === "epoch" ? { epoch: value } : {};
  const parsed = credentialListQuerySchema.safeParse({ ...filter, ...(cursor ? { cursor } : {}), limit: "50" });
  const page = parsed.success && value ? await listCredentials(prisma, serverEnv().CHAIN_ID, parsed.data) : null;
  return (
    <>
      <PageHeader title="Explorer search">Credentials by node, job or epoch.</PageHeader>
      <ExplorerSearch />
      {!parsed.success ? (
        <p className="text-sm text-muted">Not a valid {by}: {parsed.error.issues[0]?.message}</p>
      ) : !page || page.credentials.length === 0 ? (
        <EmptyState title="No credential found">Try another {by}.</EmptyState>
      ) : (
        <>
          {by === "node" && <p className="mb-2 text-sm"><Link className="underline" href={`/nodes/${value}`}>Node #{value}</Link>: claims, faults and slashes.</p>}
          <CredentialsTable label="Credentials found" credentials={page.credentials} showNode linkClassName="underline" />
          {page.nextCursor && (
            <p className="mt-2 text-sm"><Link className="underline" href={`/explorer/search?by=${by}&q=${encodeURIComponent(value)}&cursor=${page.nextCursor}`}>Next page</Link></p>
          )}
        </>
      )}
    </>
  );
}
