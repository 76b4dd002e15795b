import type { Metadata } from "next";
import Link from "next/link";
import { LiveRefresh } from "@/components/live";
import { EmptyState } from "@/components/ui/empty-state";
import { Figure } from "@/components/ui/figure";
import { PageHeader } from "@/components/page-header";
import { Section } from "@/components/ui/section";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import { findSession, pageSessionToken } from "@/lib/auth";
import { contractAddress, loadDeployment } from "@/lib/chain";
import { prisma } from "@/lib/db";
import { serverEnv } from "@/lib/env";
import { epochReader, getClaimable } from "@/lib/epochs";
import { FAUCET_CHAIN_ID } from "@/lib/faucet";
import { formatCxtWithUnit, formatFlops, tierName } from "@/lib/format";
import { listJobs } from "@/lib/jobs";
import { FaucetButton } from "./_components/faucet-button";
import { RefreshOnSignIn } from "./_components/refresh-on-sign-in";

export const metadata: Metadata = { title: "My account" };
export const dynamic = "force-dynamic";

/** The signed-in wallet's own corner: its CXT, its nodes and stake, what it can claim, and its jobs. */
export default async function MyAccountPage() {
  const env = serverEnv();
  const session = await findSession(prisma, await pageSessionToken());
  if (!session) {
    return (
      <>
        <RefreshOnSignIn />
        <PageHeader title="My account" />
        <EmptyState title="Connect your wallet to see your account">
          Connecting signs you in. This page then shows your CXT, your nodes and stake, the rewards you can claim and the jobs you created.
        </EmptyState>
      </>
    );
  }
  const me = session.address.toLowerCase();
  const deployment = await loadDeployment(env.CHAIN_ID).catch(() => undefined);
  const token = contractAddress(deployment, "CXTToken")?.toLowerCase();
  const [balance, nodes, jobs, claimable] = await Promise.all([
    token ? prisma.tokenBalance.findUnique({ where: { chainId_token_account: { chainId: env.CHAIN_ID, token, account: me } } }) : null,
    prisma.node.findMany({ where: { chainId: env.CHAIN_ID, owner: me }, orderBy: { nodeId: "asc" } }),
    listJobs(prisma, { creator: me }),
    // The claim needs the chain (latest final epoch, claimed so far): the rest of the page does not.
    epochReader()
      .then((r) => getClaimable(prisma, r, me))
      .catch(() => null),
  ]);
  const staked = nodes.reduce((s, n) => s + BigInt(n.stake.toFixed()), 0n);
  const unbonding = nodes.reduce((s, n) => s + BigInt(n.unbonding.toFixed()), 0n);
  const claimableByNode = new Map((claimable?.claims ?? []).map((c) => [c.nodeId, BigInt(c.claimable)]));
  return (
    <>
      {/* Mirrored figures: a stake, claim or drip sent from another page or tab shows up by itself. */}
      <LiveRefresh seconds={5} />
      <PageHeader title="My account">
        Signed in as <span className="font-mono break-all">{session.address}</span>.
      </PageHeader>
      <dl className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4">
        <Figure label="Wallet CXT" value={formatCxtWithUnit(balance?.balance ?? "0")} testId="me-balance" />
        <Figure label="Staked" value={formatCxtWithUnit(staked)} testId="me-staked" />
        <Figure label="Unbonding" value={formatCxtWithUnit(unbonding)} testId="me-unbonding" />
        <Figure label={claimable?.epoch ? `Claimable (epoch ${claimable.epoch})` : "Claimable"} value={claimable ? formatCxtWithUnit(claimable.claimable) : "—"} testId="me-claimable" />
      </dl>
      {env.CHAIN_ID === FAUCET_CHAIN_ID ? (
        <div className="mt-4">
          <FaucetButton />
        </div>
      ) : null}

      <Section id="my-nodes" title="My nodes">
        {nodes.length === 0 ? (
          <EmptyState title="No node yet" action={<Link href="/nodes" className="prose-link">Register a node</Link>}>
            A node is what earns CXT: register one for a GPU, CPU, edge device or this browser, then stake to climb tiers.
          </EmptyState>
        ) : (
          <TableScroll label="My nodes" className="mt-3">
            <Table>
              <THead>
                <tr>
                  <Th>Node</Th>
                  <Th numeric>Staked</Th>
                  <Th>Tier</Th>
                  <Th numeric>Verified work</Th>
                  <Th numeric>Claimable</Th>
                  <Th>Kind</Th>
                </tr>
              </THead>
              <tbody>
                {nodes.map((n) => {
                  const id = n.nodeId.toString();
                  const claim = claimableByNode.get(id) ?? 0n;
                  return (
                    <Tr key={id}>
                      <Td>
                        <Link href={`/nodes/${id}`} className="prose-link">
                          #{id}
                        </Link>
                      </Td>
                      <Td numeric>{formatCxtWithUnit(n.stake)}</Td>
                      <Td>{tierName(n.tier)}</Td>
                      <Td numeric>{formatFlops(n.workUnits)}</Td>
                      <Td numeric>
                        {claim > 0n ? (
                          <Link href={`/nodes/${id}#rewards`} className="prose-link">
                            Claim {formatCxtWithUnit(claim)}
                          </Link>
                        ) : (
                          "—"
                        )}
                      </Td>
                      <Td>{n.kind}</Td>
                    </Tr>
                  );
                })}
              </tbody>
            </Table>
          </TableScroll>
        )}
      </Section>

      <Section id="my-jobs" title="My jobs">
        {jobs.length === 0 ? (
          <EmptyState title="No job yet" action={<Link href="/jobs/new" className="prose-link">Train a model</Link>}>
            Jobs you create and fund show here with their status.
          </EmptyState>
        ) : (
          <TableScroll label="My jobs" className="mt-3">
            <Table>
              <THead>
                <tr>
                  <Th>Job</Th>
                  <Th>Status</Th>
                  <Th numeric>Fragments</Th>
                  <Th>Created</Th>
                </tr>
              </THead>
              <tbody>
                {jobs.map((j) => (
                  <Tr key={j.id}>
                    <Td>
                      <Link href={`/jobs/${j.id}`} className="prose-link">
                        {j.datasetName} · {j.id.slice(0, 8)}
                      </Link>
                    </Td>
                    <Td>{j.status.replace("_", " ")}</Td>
                    <Td numeric>{j.fragmentCount.toLocaleString("en")}</Td>
                    <Td>{j.createdAt.replace("T", " ").slice(0, 16)} UTC</Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          </TableScroll>
        )}
      </Section>
    </>
  );
}
