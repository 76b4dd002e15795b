import type { ReactNode } from "react";
import { Countdown, LiveRefresh } from "@/components/live";
import { Figure } from "@/components/ui/figure";
import type { listEpochs, networkTotals } from "@/lib/mirror";
import { formatCxt, formatFlops } from "@/lib/mirror";

export type NetworkNow = {
  totals: Awaited<ReturnType<typeof networkTotals>>;
  /** Funded tasks still open on the chain. */
  training: number;
  latest?: Awaited<ReturnType<typeof listEpochs>>[number];
  minted?: string;
  perMinute: number;
  chainNow: Date;
  renderedAt: Date;
};

/** "The network now": live figures, refreshed every few seconds. */
export function NetworkNowSection(n: NetworkNow) {
  return (
    <section aria-labelledby="now">
      <LiveRefresh seconds={5} />
      <h2 id="now" className="text-lg font-semibold">
        The network now
      </h2>
      <dl className="mt-3 grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        {liveFigures(n).map((f) => (
          <Figure key={f.testId} label={f.label} value={f.value} testId={f.testId} size="xl" />
        ))}
      </dl>
    </section>
  );
}

function liveFigures({ totals, training, latest, minted, perMinute, chainNow, renderedAt }: NetworkNow): { label: string; value: ReactNode; testId: string }[] {
  return [
    { label: "Active nodes", value: totals.activeNodes, testId: "live-nodes" },
    { label: "Jobs training", value: training, testId: "live-jobs" },
    { label: "Fragments per minute (last 5 min)", value: perMinute.toLocaleString("en", { maximumFractionDigits: 1 }), testId: "live-fragments" },
    { label: "CXT emitted", value: `${formatCxt(minted ?? "0")} CXT`, testId: "live-cxt" },
    { label: "Verified work", value: formatFlops(totals.workUnits), testId: "live-work" },
    { label: epochLabel(latest, chainNow), value: epochValue(latest, chainNow, renderedAt), testId: "live-epoch" },
  ];
}

function epochLabel(latest: NetworkNow["latest"], chainNow: Date): string {
  if (!latest) return "Epoch 1 collecting";
  const state = latest.status === "posted" ? (latest.disputeDeadline <= chainNow ? "final" : "challengeable") : latest.status;
  return `Epoch ${latest.epoch + 1n} collecting · epoch ${latest.epoch} ${state}`;
}

function epochValue(latest: NetworkNow["latest"], chainNow: Date, renderedAt: Date): ReactNode {
  if (!latest) return "no epoch posted yet";
  if (latest.disputeDeadline <= chainNow) return "last epoch final";
  return (
    <>
      final in <Countdown target={latest.disputeDeadline.toISOString()} chainNow={chainNow.toISOString()} renderedAt={renderedAt.toISOString()} />
    </>
  );
}
