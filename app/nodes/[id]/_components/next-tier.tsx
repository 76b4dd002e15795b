import { ProgressBar } from "@/components/progress-bar";
import { Section } from "@/components/ui/section";
import type { TierProgress } from "@/lib/mirror";
import { formatCxtWithUnit, formatFlops, tierName } from "@/lib/mirror";

/** How far the node's stake and verified work are from the next tier's thresholds. */
export function NextTier({ progress }: { progress: TierProgress }) {
  const next = progress.next;
  return (
    <Section id="next-tier" title={next ? `Next tier: ${tierName(next.tier)}` : "Top tier reached"}>
      {next ? (
        <div className="mt-3 grid gap-4 sm:grid-cols-2">
          <ProgressBar
            label={`Stake for ${tierName(next.tier)}`}
            value={next.stakeProgress}
            detail={next.stakeNeeded === 0n ? "met" : `${formatCxtWithUnit(next.stakeNeeded)} more`}
          />
          <ProgressBar
            label={`Work for ${tierName(next.tier)}`}
            value={next.workProgress}
            detail={next.workNeeded === 0n ? "met" : `${formatFlops(next.workNeeded)} more`}
          />
        </div>
      ) : (
        <p className="mt-2 text-sm text-muted">Platinum: the largest reward multiplier and governance weight.</p>
      )}
    </Section>
  );
}
