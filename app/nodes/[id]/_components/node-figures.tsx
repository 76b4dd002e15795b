import { Figure } from "@/components/ui/figure";
import type { getNode, governancePosition } from "@/lib/mirror";
import { tierTable } from "@/lib/mirror";
import { formatCxt, formatCxtWithUnit, formatFlops, shortHex, tierName } from "@/lib/mirror";

type Node = NonNullable<Awaited<ReturnType<typeof getNode>>>;
type Position = Awaited<ReturnType<typeof governancePosition>>;

const bps = (m: bigint) => `${(Number(m) / 10_000).toFixed(2).replace(/0$/, "")}×`;

/** The node's headline figures: tier, stake, work and what they weigh in governance. */
export function NodeFigures({ node, weight, position }: { node: Node; weight: bigint; position: Position }) {
  return (
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
  );
}
