import type { JobFeeRow } from "@/lib/epochs";
import { formatCxt } from "@/lib/mirror/client";

type Fees = { taskId: string | null; fee: string; paid: string; refunded: string; provider: string | null; providerFeeBps: number; epoch: number | null; contributors: JobFeeRow[] };

const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;

/**
 * The task's fee per contributor: what the latest epoch's fee leaves commit to each account (accepted
 * work, the dataset provider's share, the creator's refund) and what TaskManager has paid it. Accounts
 * claim on their node's page (or the relayer claims for them) once that epoch is final.
 */
export function TaskFees({ fees }: { fees: Fees }) {
  if (fees.taskId === null) return <p className="text-sm text-muted">No on-chain task yet.</p>;
  const head = (
    <p className="text-sm">
      Task #{fees.taskId}: fee {formatCxt(fees.fee)} CXT, paid to contributors {formatCxt(fees.paid)}, refunded {formatCxt(fees.refunded)}
      {fees.provider ? ` · dataset provider ${short(fees.provider)} takes ${fees.providerFeeBps / 100} % of what accepted work is paid` : ""}.
    </p>
  );
  if (fees.contributors.length === 0) {
    return (
      <div className="space-y-2" data-testid="task-fees">
        {head}
        <p className="text-sm text-muted">No fee leaves yet: they come with the first epoch after accepted work.</p>
      </div>
    );
  }
  return (
    <div className="space-y-2" data-testid="task-fees">
      {head}
      <table className="w-full text-sm">
        <thead className="text-left text-muted">
          <tr><th>account</th><th>for</th><th className="text-right">earned</th><th className="text-right">paid</th><th className="text-right">owed</th></tr>
        </thead>
        <tbody>
          {fees.contributors.map((c) => (
            <tr key={`${c.kind}-${c.account}`} data-testid="task-fee-row">
              <td className="font-mono">{short(c.account)}</td>
              <td>{c.kind === "refund" ? "creator's refund" : fees.provider === c.account ? "dataset provider" : "accepted work"}</td>
              <td className="text-right tabular-nums">{formatCxt(c.earned)}</td>
              <td className="text-right tabular-nums">{formatCxt(c.paid)}</td>
              <td className="text-right tabular-nums">{formatCxt(c.owed)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-xs text-muted">Leaves of epoch {fees.epoch}: claimable once it is final (after its challenge window).</p>
    </div>
  );
}
