import Link from "next/link";
import { serverEnv } from "@/lib/env";
import { prisma } from "@/lib/db";
import { chainTime, listEpochs, networkTotals } from "@/lib/mirror";
import { fragmentsPerMinute } from "@/lib/scheduler";
import { NetworkNowSection } from "./_components/network-now";

export const dynamic = "force-dynamic";

export default async function Home() {
  const env = serverEnv();
  const [totals, training, [latest], now, minted, perMinute] = await Promise.all([
    networkTotals(env.CHAIN_ID),
    // Jobs training = funded tasks still open on the chain (the mirror), whoever has read /jobs since.
    prisma.task.count({ where: { chainId: env.CHAIN_ID, status: "open" } }),
    listEpochs(env.CHAIN_ID, 1),
    chainTime(env.CHAIN_ID),
    prisma.tokenSupply.findFirst({ where: { chainId: env.CHAIN_ID }, select: { minted: true } }),
    fragmentsPerMinute(prisma, 5),
  ]);
  const renderedAt = new Date();
  return (
    <div className="space-y-10">
      <section>
        <h1 className="text-3xl font-semibold tracking-tight">Verified AI training, paid in CXT</h1>
        <p className="mt-3 max-w-3xl text-muted">
          Training jobs are split into fragments, computed by GPU and CPU nodes, edge devices and browser tabs,
          checked by independent replicas and paid in CXT — minted only for verified contribution and staking,
          with no premint and no team reserve.
        </p>
        {/* The front door: the three things a newcomer comes to do. */}
        <nav aria-label="Get started" className="mt-6 flex flex-wrap gap-3">
          <Link href="/jobs/new" className="rounded-xl bg-accent-solid px-4 py-2 font-semibold text-on-accent">
            Train a model
          </Link>
          <Link href="/worker" className="rounded-xl border border-line px-4 py-2 font-semibold text-fg hover:border-accent">
            Contribute this browser
          </Link>
          <Link href="/nodes" className="rounded-xl border border-line px-4 py-2 font-semibold text-fg hover:border-accent">
            Run a node
          </Link>
        </nav>
      </section>
      <NetworkNowSection
        totals={totals}
        training={training}
        latest={latest}
        minted={minted?.minted.toFixed()}
        perMinute={perMinute}
        chainNow={now ?? renderedAt}
        renderedAt={renderedAt}
      />
    </div>
  );
}
