import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Countdown, LiveRefresh } from "@/components/live";
import { EmptyState, PageHeader, Skeleton, TableScroll, table, td, th, thead, tr } from "@/components/page-header";
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
            <table className={table} data-testid="tranches">
              <thead className={thead}>
                <tr>
                  <th className={th}>#</th>
                  <th className={`${th} text-right`}>Amount</th>
                  <th className={th}>Release (chain time)</th>
                  <th className={th}>Time left</th>
                </tr>
              </thead>
              <tbody>
                {tranches.map((t, i) => (
                  <tr key={i} className={tr}>
                    <td className={td}>{i + 1}</td>
                    <td className={`${td} text-right tabular-nums`}>{formatCxtWithUnit(t.amount)}</td>
                    <td className={td}>{t.releaseAt.toISOString().replace("T", " ").slice(0, 19)} UTC</td>
                    <td className={td}>
                      <Countdown target={t.releaseAt.toISOString()} chainNow={chainNow.toISOString()} renderedAt={renderedAt.toISOString()} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
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
            <table className={table}>
              <thead className={thead}>
                <tr>
                  <th className={th}>Block</th>
                  <th className={`${th} text-right`}>Share</th>
                  <th className={`${th} text-right`}>Burned from stake</th>
                  <th className={`${th} text-right`}>Burned from unbonding</th>
                  <th className={th}>Evidence</th>
                </tr>
              </thead>
              <tbody>
                {slashes.map((s) => (
                  <tr key={`${s.blockNumber}-${s.logIndex}`} className={tr}>
                    <td className={td}>{s.blockNumber.toString()}</td>
                    <td className={`${td} text-right tabular-nums`}>{s.bps / 100}%</td>
                    <td className={`${td} text-right tabular-nums`}>{formatCxt(s.fromStake)}</td>
                    <td className={`${td} text-right tabular-nums`}>{formatCxt(s.fromUnbonding)}</td>
                    <td className={`${td} font-mono text-xs`} title={s.evidenceHash}>
                      {faultByEvidence.has(s.evidenceHash.toLowerCase()) ? (
                        <a className="prose-link" href={`/api/faults/${encodeURIComponent(faultByEvidence.get(s.evidenceHash.toLowerCase())!)}`}>
                          {shortHex(s.evidenceHash, 6)}
                        </a>
                      ) : (
                        shortHex(s.evidenceHash, 6)
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>

      <section className="mt-8" aria-labelledby="history">
        <h2 id="history" className="text-lg font-semibold">Stake history</h2>
        {history.length === 0 ? (
          <EmptyState>No stake has moved on this node yet.</EmptyState>
        ) : (
          <TableScroll label="Stake history" className="mt-3">
            <table className={table}>
              <thead className={thead}>
                <tr>
                  <th className={th}>Block</th>
                  <th className={th}>Change</th>
                  <th className={`${th} text-right`}>Amount</th>
                  <th className={`${th} text-right`}>Stake after</th>
                  <th className={`${th} text-right`}>Unbonding after</th>
                </tr>
              </thead>
              <tbody>
                {history.map((h) => (
                  <tr key={`${h.blockNumber}-${h.logIndex}`} className={tr}>
                    <td className={td}>{h.blockNumber.toString()}</td>
                    <td className={td}>{h.kind}</td>
                    <td className={`${td} text-right tabular-nums`}>{formatCxt(h.amount)}</td>
                    <td className={`${td} text-right tabular-nums`}>{formatCxt(h.stake)}</td>
                    <td className={`${td} text-right tabular-nums`}>{formatCxt(h.unbonding)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
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
          <table className={table}>
            <thead className={thead}>
              <tr><th className={th}>Fault (evidence)</th><th className={th}>Evidence hash</th><th className={th}>Slash</th><th className={th}>Slash transaction</th></tr>
            </thead>
            <tbody>
              {faults.map((f) => (
                <tr key={f.id} className={tr}>
                  <td className={td}><a className="prose-link" href={`/api/faults/${encodeURIComponent(f.id)}`}>{f.id}</a></td>
                  <td className={`${td} font-mono text-xs`} title={f.evidenceHash}>{shortHex(f.evidenceHash, 6)}</td>
                  <td className={td}>{f.status === "sent" ? "slashed" : f.status}</td>
                  <td className={`${td} font-mono text-xs`} title={f.txHash ?? ""}>
                    {f.txHash ? <TxLink hash={f.txHash as `0x${string}`} href={explorerTxUrl(chain, f.txHash as `0x${string}`)} /> : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}

      <h2 className="mt-8 mb-2 text-lg font-semibold">Credentials</h2>
      {credentials.credentials.length === 0 ? (
        <EmptyState title="No credential yet">Accepted results, verifications and passed Compute-PoCs of this node show here.</EmptyState>
      ) : (
        <TableScroll label="Credentials">
          <table className={table}>
            <thead className={thead}>
              <tr><th className={th}>Credential</th><th className={th}>Epoch</th><th className={th}>Role</th><th className={th}>Job</th><th className={`${th} text-right`}>Work</th></tr>
            </thead>
            <tbody>
              {credentials.credentials.map((c) => (
                <tr key={c.id} className={tr}>
                  <td className={`${td} font-mono text-xs`}><Link className="prose-link" href={`/explorer/credentials/${c.id}`}>{shortHex(c.id, 6)}</Link></td>
                  <td className={td}>{c.epoch ?? "pending"}</td>
                  <td className={td}>{c.role}</td>
                  <td className={`${td} font-mono text-xs`}>{c.jobId.slice(0, 12)}</td>
                  <td className={`${td} text-right tabular-nums`}>{formatFlops(c.workUnits)}</td>
                </tr>
              ))}
            </tbody>
          </table>
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
