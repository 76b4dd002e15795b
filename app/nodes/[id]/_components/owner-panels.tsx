import { Section } from "@/components/ui/section";
import { Skeleton } from "@/components/ui/skeleton";
import { WalletBoundary } from "@/components/wallet";
import { NodeActions } from "../../_components/node-actions";
import { ClaimPanel } from "./claim-panel";

type Address = `0x${string}`;

/** Stake, unstake, withdraw and delegate: the owner's wallet actions, loaded with the wallet stack. */
export function ManageNode(p: {
  nodeId: string;
  owner: string;
  active: boolean;
  staking?: Address;
  token?: Address;
  canWithdraw: boolean;
  hasTranches: boolean;
  delegate: string;
  stake: string;
  workUnits: string;
}) {
  return (
    <Section id="manage" title="Manage">
      <div className="mt-3">
        {p.staking && p.token ? (
          <WalletBoundary fallback={<Skeleton className="h-48" />}>
            <NodeActions {...p} staking={p.staking} token={p.token} />
          </WalletBoundary>
        ) : (
          <p className="text-sm text-muted">No Staking deployment is recorded for this chain.</p>
        )}
      </div>
    </Section>
  );
}

/** The owner's rewards from posted epochs, claimed through the ContributionLedger, and its task fees, claimed through the TaskManager. */
export function Rewards({ nodeId, owner, ledger, tasks, token }: { nodeId: string; owner: string; ledger?: Address; tasks?: Address; token?: Address }) {
  return (
    <Section id="rewards" title="Rewards" className="mt-6">
      <div className="mt-2">
        {ledger ? (
          <WalletBoundary fallback={<Skeleton className="h-24" />}>
            <ClaimPanel owner={owner} nodeId={nodeId} ledger={ledger} tasks={tasks} token={token} />
          </WalletBoundary>
        ) : (
          <p className="text-sm text-muted">No ContributionLedger deployment for this chain.</p>
        )}
      </div>
    </Section>
  );
}
