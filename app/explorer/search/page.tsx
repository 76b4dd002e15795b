import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/page-header";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
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
            <Table>
              <THead>
                <tr><Th>Credential</Th><Th>Epoch</Th><Th>Node</Th><Th>Role</Th><Th>Job</Th><Th numeric>Work</Th></tr>
              </THead>
              <tbody>
                {page.credentials.map((c) => (
                  <Tr key={c.id}>
                    <Td mono><Link className="underline" href={`/explorer/credentials/${c.id}`}>{shortHex(c.id, 6)}</Link></Td>
                    <Td>{c.epoch ?? "pending"}</Td>
                    <Td><Link className="underline" href={`/nodes/${c.nodeId}`}>#{c.nodeId}</Link></Td>
                    <Td>{c.role}</Td>
                    <Td mono>{c.jobId.slice(0, 12)}</Td>
                    <Td numeric>{formatFlops(c.workUnits)}</Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          </TableScroll>
          {page.nextCursor && (
            <p className="mt-2 text-sm"><Link className="underline" href={`/explorer/search?by=${by}&q=${encodeURIComponent(value)}&cursor=${page.nextCursor}`}>Next page</Link></p>
          )}
        </>
      )}
    </>
  );
}
