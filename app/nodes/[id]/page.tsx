import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Countdown, LiveRefresh } from "@/components/live";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import { ProgressBar } from "@/components/progress-bar";
import { WalletBoundary } from "@/components/wallet";
import { contractAddress, resolveChain } from "@/lib/chain";
import { loadDeployment } from "@/lib/chain/deployments";
import { prisma } from "@/lib/db";
import { publicConfig, serverEnv } from "@/lib/env";
import { listCredentials, listFaultsOfNode } from "@/lib/epochs";
import { chainTime, getNode, nodeSlashes, governancePosition, nodeStakeHistory, nodeTranches, nodeWeight, tierProgress, tierTable } from "@/lib/mirror";
import { formatCxt, formatCxtWithUnit, formatFlops, shortHex, tierName } from "@/lib/mirror/format";
import { explorerTxUrl } from "@/lib/chain/tx-flow";
import { NodeActions } from "../_components/node-actions";
import { ClaimPanel } from "./_components/claim-panel";

export const metadata: Metadata = { title: "Node" };
export const dynamic = "force-dynamic";

const bps = (m: bigint) => `${(Number(m) / 10_000).toFixed(2).replace(/0$/, "")}×`;

export default async function NodePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ new?: string }> }) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  if (!/^\d{1,30}$/.test(id)) notFound();
  const chainId = serverEnv().CHAIN_ID;
  const nodeId = BigInt(id);
  const node = await getNode(chainId, nodeId);
  if (!node && query.new === "1") {
    // Just registered: the indexer may not have mirrored the block yet.
    return (
      <>
        <LiveRefresh seconds={1} />
        <PageHeader title={`Node #${id}`}>Registered. Waiting for the indexer to mirror the new node…</PageHeader>
        <Skeleton className="h-48" />
      </>
    );
  }
  if (!node) notFound();
  const [tranches, history, position, now, deployment, slashes] = await Promise.all([
    nodeTranches(chainId, nodeId),
    nodeStakeHistory(chainId, nodeId),
    governancePosition(chainId, node.owner),
    chainTime(chainId),
    loadDeployment(chainId),
    nodeSlashes(chainId, nodeId),
  ]);
  const [credentials, faults] = await Promise.all([listCredentials(prisma, chainId, { node: id, limit: 20 }), listFaultsOfNode(prisma, chainId, nodeId)]);
  const ledger = contractAddress(deployment, "ContributionLedger");
  const renderedAt = new Date();
  const chainNow = now ?? renderedAt;
  const stake = BigInt(node.stake.toFixed());
  const work = BigInt(node.workUnits.toFixed());
  const progress = tierProgress(stake, work);
  const weight = nodeWeight(stake, node.tier, node.active);
  const staking = contractAddress(deployment, "Staking");
  const token = contractAddress(deployment, "CXTToken");
  const released = tranches.filter((t) => t.releaseAt <= chainNow);
  const chain = resolveChain(publicConfig());
  // A slash on the chain names the evidence hash of the fault record it burned for.
  const faultByEvidence = new Map(faults.map((f) => [f.evidenceHash.toLowerCase(), f.id]));

  return (
    <>
      <LiveRefresh seconds={4} />
      <PageHeader title={`Node #${id}`}>
        {node.kind.toUpperCase()} node owned by <span className="font-mono">{node.owner}</span> · {node.active ? "active" : "deactivated"}
        {node.slashCount > 0 ? ` · slashed ×${node.slashCount}` : ""}
        {node.locked ? " · stake locked by a pending dispute" : ""}. <Link className="prose-link" href="/nodes">All nodes</Link>
      </PageHeader>

      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Figure label="Tier" value={tierName(node.tier)} testId="node-tier" />
        <Figure label="Active stake" value={formatCxtWithUnit(node.stake)} testId="node-stake" />
        <Figure label="Unbonding" value={formatCxtWithUnit(node.unbonding)} testId="node-unbonding" />
        <Figure label="Verified work" value={formatFlops(node.workUnits)} testId="node-work" />
        <Figure label="Reward multiplier" value={bps(tierTable[node.tier].multiplierBps)} />
        <Figure label="Governance weight (this node)" value={formatCxt(weight)} testId="node-weight" />
        <Figure label="Owner's votes (delegated to it)" value={formatCxt(position.votes)} />
        <Figure label="Owner's weight counts for" value={position.delegate === node.owner.toLowerCase() ? "the owner" : shortHex(position.delegate)} />
      </dl>

      <section className="mt-8" aria-labelledby="next-tier">
        <h2 id="next-tier" className="text-lg font-semibold">
          {progress.next ? `Next tier: ${tierName(progress.next.tier)}` : "Top tier reached"}
        </h2>
        {progress.next ? (
          <div className="mt-3 grid gap-4 sm:grid-cols-2">
            <ProgressBar
              label={`Stake for ${tierName(progress.next.tier)}`}
              value={progress.next.stakeProgress}
              detail={progress.next.stakeNeeded === 0n ? "met" : `${formatCxtWithUnit(progress.next.stakeNeeded)} more`}
            />
            <ProgressBar
              label={`Work for ${tierName(progress.next.tier)}`}
              value={progress.next.workProgress}
              detail={progress.next.workNeeded === 0n ? "met" : `${formatFlops(progress.next.workNeeded)} more`}
            />
          </div>
        ) : (
          <p className="mt-2 text-sm text-muted">Platinum: the largest reward multiplier and governance weight.</p>
        )}
      </section>

      <section className="mt-8" aria-labelledby="tranches">
        <h2 id="tranches" className="text-lg font-semibold">Unbonding tranches</h2>
        {tranches.length === 0 ? (
          <p className="mt-2 text-sm text-muted">Nothing is unbonding. Request an unstake to start a tranche; it can be withdrawn once its time has come.</p>
        ) : (
          <TableScroll label="Unbonding tranches" className="mt-3">
            <Table data-testid="tranches">
              <THead>
                <tr>
                  <Th>#</Th>
                  <Th numeric>Amount</Th>
                  <Th>Release (chain time)</Th>
                  <Th>Time left</Th>
                </tr>
              </THead>
              <tbody>
                {tranches.map((t, i) => (
                  <Tr key={i}>
                    <Td>{i + 1}</Td>
                    <Td numeric>{formatCxtWithUnit(t.amount)}</Td>
                    <Td>{t.releaseAt.toISOString().replace("T", " ").slice(0, 19)} UTC</Td>
                    <Td>
                      <Countdown target={t.releaseAt.toISOString()} chainNow={chainNow.toISOString()} renderedAt={renderedAt.toISOString()} />
                    </Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          </TableScroll>
        )}
      </section>

      <section className="mt-8" aria-labelledby="manage">
        <h2 id="manage" className="mb-3 text-lg font-semibold">Manage</h2>
        {staking && token ? (
          <WalletBoundary fallback={<Skeleton className="h-48" />}>
            <NodeActions
              nodeId={id}
              owner={node.owner}
              active={node.active}
              staking={staking}
              token={token}
              canWithdraw={released.length > 0}
              delegate={position.delegate}
            />
          </WalletBoundary>
        ) : (
          <p className="text-sm text-muted">No Staking deployment is recorded for this chain.</p>
        )}
      </section>

      <section className="mt-8" aria-labelledby="faults">
        <h2 id="faults" className="text-lg font-semibold">Slashes on chain</h2>
        {slashes.length === 0 ? (
          <p className="mt-2 text-sm text-muted">No slash recorded for this node.</p>
        ) : (
          <TableScroll label="Slashes" className="mt-3">
            <Table>
              <THead>
                <tr>
                  <Th>Block</Th>
                  <Th numeric>Share</Th>
                  <Th numeric>Burned from stake</Th>
                  <Th numeric>Burned from unbonding</Th>
                  <Th>Evidence</Th>
                </tr>
              </THead>
              <tbody>
                {slashes.map((s) => (
                  <Tr key={`${s.blockNumber}-${s.logIndex}`}>
                    <Td>{s.blockNumber.toString()}</Td>
                    <Td numeric>{s.bps / 100}%</Td>
                    <Td numeric>{formatCxt(s.fromStake)}</Td>
                    <Td numeric>{formatCxt(s.fromUnbonding)}</Td>
                    <Td mono title={s.evidenceHash}>
                      {faultByEvidence.has(s.evidenceHash.toLowerCase()) ? (
                        <a className="prose-link" href={`/api/faults/${encodeURIComponent(faultByEvidence.get(s.evidenceHash.toLowerCase())!)}`}>
                          {shortHex(s.evidenceHash, 6)}
                        </a>
                      ) : (
                        shortHex(s.evidenceHash, 6)
                      )}
                    </Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          </TableScroll>
        )}
      </section>

      <section className="mt-8" aria-labelledby="history">
        <h2 id="history" className="text-lg font-semibold">Stake history</h2>
        {history.length === 0 ? (
          <EmptyState>No stake has moved on this node yet.</EmptyState>
        ) : (
          <TableScroll label="Stake history" className="mt-3">
            <Table>
              <THead>
                <tr>
                  <Th>Block</Th>
                  <Th>Change</Th>
                  <Th numeric>Amount</Th>
                  <Th numeric>Stake after</Th>
                  <Th numeric>Unbonding after</Th>
                </tr>
              </THead>
              <tbody>
                {history.map((h) => (
                  <Tr key={`${h.blockNumber}-${h.logIndex}`}>
                    <Td>{h.blockNumber.toString()}</Td>
                    <Td>{h.kind}</Td>
                    <Td numeric>{formatCxt(h.amount)}</Td>
                    <Td numeric>{formatCxt(h.stake)}</Td>
                    <Td numeric>{formatCxt(h.unbonding)}</Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          </TableScroll>
        )}
      </section>

      <h2 className="mt-6 mb-2 text-lg font-semibold">Rewards</h2>
      {ledger ? (
        <WalletBoundary fallback={<Skeleton className="h-24" />}>
          <ClaimPanel owner={node.owner} nodeId={id} ledger={ledger} token={token} />
        </WalletBoundary>
      ) : (
        <p className="text-sm text-muted">No ContributionLedger deployment for this chain.</p>
      )}

      <h2 className="mt-8 mb-2 text-lg font-semibold">Faults and slashes</h2>
      {faults.length === 0 ? (
        <p className="text-sm text-muted">No fault recorded: no slash.</p>
      ) : (
        <TableScroll label="Faults">
          <Table>
            <THead>
              <tr><Th>Fault (evidence)</Th><Th>Evidence hash</Th><Th>Slash</Th><Th>Slash transaction</Th></tr>
            </THead>
            <tbody>
              {faults.map((f) => (
                <Tr key={f.id}>
                  <Td><a className="prose-link" href={`/api/faults/${encodeURIComponent(f.id)}`}>{f.id}</a></Td>
                  <Td mono title={f.evidenceHash}>{shortHex(f.evidenceHash, 6)}</Td>
                  <Td>{f.status === "sent" ? "slashed" : f.status}</Td>
                  <Td mono title={f.txHash ?? ""}>
                    {f.txHash ? <TxLink hash={f.txHash as `0x${string}`} href={explorerTxUrl(chain, f.txHash as `0x${string}`)} /> : "—"}
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </TableScroll>
      )}

      <h2 className="mt-8 mb-2 text-lg font-semibold">Credentials</h2>
      {credentials.credentials.length === 0 ? (
        <EmptyState title="No credential yet">Accepted results, verifications and passed Compute-PoCs of this node show here.</EmptyState>
      ) : (
        <TableScroll label="Credentials">
          <Table>
            <THead>
              <tr><Th>Credential</Th><Th>Epoch</Th><Th>Role</Th><Th>Job</Th><Th numeric>Work</Th></tr>
            </THead>
            <tbody>
              {credentials.credentials.map((c) => (
                <Tr key={c.id}>
                  <Td mono><Link className="prose-link" href={`/explorer/credentials/${c.id}`}>{shortHex(c.id, 6)}</Link></Td>
                  <Td>{c.epoch ?? "pending"}</Td>
                  <Td>{c.role}</Td>
                  <Td mono>{c.jobId.slice(0, 12)}</Td>
                  <Td numeric>{formatFlops(c.workUnits)}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </TableScroll>
      )}
    </>
  );
}

/** A transaction hash, linked to the configured block explorer when there is one. */
function TxLink({ hash, href }: { hash: `0x${string}`; href?: string }) {
  return href ? (
    <a className="prose-link" href={href} target="_blank" rel="noreferrer">
      {shortHex(hash, 6)}
    </a>
  ) : (
    <span>{shortHex(hash, 6)}</span>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="rounded border border-line p-4">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="mt-1 text-lg font-semibold tabular-nums" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
