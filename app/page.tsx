import Link from "next/link";
import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import { sections } from "@/components/sections";
import { loadDeployment } from "@/lib/chain/deployments";
import { explorerAddressUrl, resolveChain } from "@/lib/chain/chains";
import { publicConfig, serverEnv } from "@/lib/env";
import { getHealth } from "@/lib/health";
import { Countdown, LiveRefresh } from "@/components/live";
import { prisma } from "@/lib/db";
import { chainTime, listEpochs, networkTotals } from "@/lib/mirror";
import { formatCxt, formatFlops } from "@/lib/mirror/format";
import { fragmentsPerMinute } from "@/lib/scheduler/job-progress";
import { StatusCard } from "./_components/status-card";

export const dynamic = "force-dynamic";

const blurbs: Record<string, string> = {
  "/jobs": "Upload a training job, fund it, watch its loss fall and download the model with its proof.",
  "/nodes": "Register a node, stake CXT and climb tiers that raise rewards and governance weight.",
  "/rankings": "Tier rankings of nodes by verified work and stake.",
  "/governance": "Propose changes, vote with your stake × tier weight, queue and execute through the timelock.",
  "/explorer": "Contribution credentials with Merkle proofs checked against the roots on the chain.",
  "/worker": "Donate this tab's GPU (WebGPU, CPU fallback) to compute training fragments.",
  "/admin": "Throughput, queue, failures, indexer lag and emission for the allow-listed admins.",
};

export default async function Home() {
  const env = serverEnv();
  const chain = resolveChain(publicConfig());
  const [health, deployment, totals, training, [latest], now, minted, perMinute] = await Promise.all([
    getHealth(),
    loadDeployment(env.CHAIN_ID).catch(() => undefined),
    networkTotals(env.CHAIN_ID),
    // Jobs training = funded tasks still open on the chain (the mirror), whoever has read /jobs since.
    prisma.task.count({ where: { chainId: env.CHAIN_ID, status: "open" } }),
    listEpochs(env.CHAIN_ID, 1),
    chainTime(env.CHAIN_ID),
    prisma.tokenSupply.findFirst({ where: { chainId: env.CHAIN_ID }, select: { minted: true } }),
    fragmentsPerMinute(prisma, 5),
  ]);
  const renderedAt = new Date();
  const chainNow = now ?? renderedAt;
  const live: { label: string; value: React.ReactNode; testId: string }[] = [
    { label: "Active nodes", value: totals.activeNodes, testId: "live-nodes" },
    { label: "Jobs training", value: training, testId: "live-jobs" },
    { label: "Fragments per minute (last 5 min)", value: perMinute.toLocaleString("en", { maximumFractionDigits: 1 }), testId: "live-fragments" },
    { label: "CXT emitted", value: `${formatCxt(minted?.minted.toFixed() ?? "0")} CXT`, testId: "live-cxt" },
    { label: "Verified work", value: formatFlops(totals.workUnits), testId: "live-work" },
    {
      label: latest
        ? `Epoch ${latest.epoch + 1n} collecting · epoch ${latest.epoch} ${latest.status === "posted" ? (latest.disputeDeadline <= chainNow ? "final" : "challengeable") : latest.status}`
        : "Epoch 1 collecting",
      value: latest && latest.disputeDeadline > chainNow ? (
        <>
          final in <Countdown target={latest.disputeDeadline.toISOString()} chainNow={chainNow.toISOString()} renderedAt={renderedAt.toISOString()} />
        </>
      ) : latest ? (
        "last epoch final"
      ) : (
        "no epoch posted yet"
      ),
      testId: "live-epoch",
    },
  ];
  return (
    <div className="space-y-10">
      <section>
        <h1 className="text-3xl font-semibold tracking-tight">Verified AI training, paid in CXT</h1>
        <p className="mt-3 max-w-3xl text-muted">
          Training jobs are split into fragments, computed by GPU and CPU nodes, edge devices and browser tabs,
          checked by independent replicas and paid in CXT — minted only for verified contribution and staking,
          with no premint and no team reserve.
        </p>
      </section>

      <section aria-labelledby="now">
        <LiveRefresh seconds={5} />
        <h2 id="now" className="text-lg font-semibold">
          The network now
        </h2>
        <dl className="mt-3 grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
          {live.map((f) => (
            <div key={f.testId} className="rounded border border-line p-4">
              <dt className="text-xs text-muted">{f.label}</dt>
              <dd className="mt-1 text-xl font-semibold tabular-nums" data-testid={f.testId}>
                {f.value}
              </dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-label="Network status" className="grid gap-4 md:grid-cols-3">
        <StatusCard title="Database" ok={health.database.ok} detail={health.database.ok ? `${health.database.latencyMs} ms` : health.database.error} />
        <StatusCard
          title="Chain"
          ok={health.chain.ok}
          detail={health.chain.ok ? `chain ${health.chain.chainId} · block ${health.chain.blockNumber}` : health.chain.error}
        />
        <StatusCard
          title="Indexer"
          ok={health.indexer.ok}
          detail={health.indexer.ok ? `checkpoint ${health.indexer.checkpoint} · lag ${health.indexer.lag}` : health.indexer.error}
        />
      </section>

      <section>
        <h2 className="text-lg font-semibold">Contracts</h2>
        {deployment ? (
          <TableScroll label="Contracts" className="mt-3">
            <Table>
              <THead>
                <tr>
                  <Th>Contract</Th>
                  <Th>Address</Th>
                  <Th>Deploy block</Th>
                </tr>
              </THead>
              <tbody>
                {Object.entries(deployment.contracts).map(([name, c]) => (
                  <Tr key={name}>
                    <Td>{name}</Td>
                    <Td mono>
                      {explorerAddressUrl(chain, c.address) ? (
                        <a className="prose-link" href={explorerAddressUrl(chain, c.address)}>
                          {c.address}
                        </a>
                      ) : (
                        c.address
                      )}
                    </Td>
                    <Td>{c.blockNumber}</Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          </TableScroll>
        ) : (
          <p className="mt-2 text-sm text-muted">No deployment recorded for chain {env.CHAIN_ID}. Deploy the contracts with <code>npm run contracts:deploy</code> (or start everything with <code>npm run dev</code>), then reload.</p>
        )}
      </section>

      <section className="grid gap-4 md:grid-cols-3">
        {sections.map((s) => (
          <Link key={s.href} href={s.href} className="rounded border border-line p-4 hover:border-accent">
            <h3 className="font-medium">{s.label}</h3>
            <p className="mt-1 text-sm text-muted">{blurbs[s.href]}</p>
          </Link>
        ))}
      </section>
    </div>
  );
}
