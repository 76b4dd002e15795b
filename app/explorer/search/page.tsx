import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { EmptyState, PageHeader, TableScroll, table, td, th, thead, tr } from "@/components/page-header";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import { credentialListQuerySchema, listCredentials } from "@/lib/epochs";
import { formatFlops, shortHex } from "@/lib/mirror/format";
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
          <TableScroll label="Credentials found">
            <table className={table}>
              <thead className={thead}>
                <tr><th className={th}>Credential</th><th className={th}>Epoch</th><th className={th}>Node</th><th className={th}>Role</th><th className={th}>Job</th><th className={`${th} text-right`}>Work</th></tr>
              </thead>
              <tbody>
                {page.credentials.map((c) => (
                  <tr key={c.id} className={tr}>
                    <td className={`${td} font-mono text-xs`}><Link className="underline" href={`/explorer/credentials/${c.id}`}>{shortHex(c.id, 6)}</Link></td>
                    <td className={td}>{c.epoch ?? "pending"}</td>
                    <td className={td}><Link className="underline" href={`/nodes/${c.nodeId}`}>#{c.nodeId}</Link></td>
                    <td className={td}>{c.role}</td>
                    <td className={`${td} font-mono text-xs`}>{c.jobId.slice(0, 12)}</td>
                    <td className={`${td} text-right tabular-nums`}>{formatFlops(c.workUnits)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {page.nextCursor && (
            <p className="mt-2 text-sm"><Link className="underline" href={`/explorer/search?by=${by}&q=${encodeURIComponent(value)}&cursor=${page.nextCursor}`}>Next page</Link></p>
          )}
        </>
      )}
    </>
  );
}
