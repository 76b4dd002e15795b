"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { keccak256, toBytes, type Address } from "viem";
import { useAccount, useReadContract } from "wagmi";
import { Button } from "@/components/ui/button";
import { useTxToast } from "@/components/wallet/use-tx-toast";
import { corexGovernorAbi } from "@/contracts-abi/corex-governor";
import { timelockControllerAbi } from "@/contracts-abi/timelock-controller";
import { formatCxt } from "@/lib/mirror/client";
import { governorStates, type ProposalAction } from "@/lib/mirror/client";

// Queue and execute run inside the timelock: its custom errors decode only with its ABI alongside.
const governorAndTimelockAbi = [...corexGovernorAbi, ...timelockControllerAbi.filter((x) => x.type === "error")] as const;

type Props = { governor: Address; proposalId: string; voteStart: string; description: string; actions: ProposalAction[] };

/** The governor's `state()` for the proposal, and — while it is Active — the connected account's weight and whether it voted. */
function useProposalChainState(p: Props, address: Address | undefined) {
  const id = BigInt(p.proposalId);
  const { data: stateIndex, refetch } = useReadContract({ address: p.governor, abi: corexGovernorAbi, functionName: "state", args: [id], query: { refetchInterval: 3_000 } });
  const state = stateIndex === undefined ? undefined : governorStates[Number(stateIndex)];
  const active = state === "Active";
  const { data: weight } = useReadContract({
    address: p.governor,
    abi: corexGovernorAbi,
    functionName: "getVotes",
    args: [address ?? "0x0000000000000000000000000000000000000000", BigInt(p.voteStart)],
    query: { enabled: Boolean(address) && active },
  });
  const { data: voted } = useReadContract({
    address: p.governor,
    abi: corexGovernorAbi,
    functionName: "hasVoted",
    args: [id, address ?? "0x0000000000000000000000000000000000000000"],
    query: { enabled: Boolean(address) && active, refetchInterval: 3_000 },
  });
  return { id, state, active, weight, voted, refetch };
}

/** What can be done with a proposal now, judged by the governor's own `state()`: vote, queue or execute. */
export function ProposalActions(p: Props) {
  const router = useRouter();
  const { address } = useAccount();
  const { send, busy } = useTxToast();
  const { id, state, active, weight, voted, refetch } = useProposalChainState(p, address);
  const [cast, setCast] = useState<string | null>(null);
  const call = [p.actions.map((a) => a.target), p.actions.map((a) => BigInt(a.value)), p.actions.map((a) => a.calldata), keccak256(toBytes(p.description))] as const;

  const after = async () => {
    await refetch();
    router.refresh();
  };
  const vote = async (support: 0 | 1 | 2) => {
    const r = await send(`Vote ${["against", "for", "abstain"][support]}`, { address: p.governor, abi: corexGovernorAbi, functionName: "castVote", args: [id, support] });
    // The plain-language confirmation, with the weight the vote counted with.
    if (r.stage === "confirmed") setCast(`You voted ${["Against", "For", "Abstain"][support]} with ${weight === undefined ? "your weight" : formatCxt(weight)}.`);
    await after();
  };

  return (
    <div className="mt-3 flex flex-wrap items-center gap-2 text-sm" data-testid="proposal-actions">
      <span className="text-muted">
        On chain: <span data-testid="governor-state">{state ?? "…"}</span>
      </span>
      {active && address ? (
        voted ? (
          <span className="text-muted" role="status">
            You have voted.{cast ? <span data-testid="vote-confirmation"> {cast}</span> : null}
          </span>
        ) : (
          <VoteButtons weight={weight} busy={busy} vote={vote} />
        )
      ) : null}
      {state === "Succeeded" ? (
        <Button
          type="button"
          disabled={busy || !address}
          onClick={async () => {
            await send("Queue in the timelock", { address: p.governor, abi: governorAndTimelockAbi, functionName: "queue", args: call });
            await after();
          }}
        >
          Queue
        </Button>
      ) : null}
      {state === "Queued" ? (
        <Button
          type="button"
          disabled={busy || !address}
          onClick={async () => {
            await send("Execute through the timelock", { address: p.governor, abi: governorAndTimelockAbi, functionName: "execute", args: call });
            await after();
          }}
        >
          Execute
        </Button>
      ) : null}
    </div>
  );
}

function VoteButtons({ weight, busy, vote }: { weight: bigint | undefined; busy: boolean; vote: (support: 0 | 1 | 2) => Promise<void> }) {
  return (
    <>
      <span className="text-muted">Your weight: {weight === undefined ? "…" : formatCxt(weight)}</span>
      <Button type="button" disabled={busy} onClick={() => void vote(1)}>
        Vote for
      </Button>
      {/* Distinct at a glance: For is the primary action, Against and Abstain are outlined. */}
      <Button type="button" className="border border-danger bg-transparent text-danger" disabled={busy} onClick={() => void vote(0)}>
        Vote against
      </Button>
      <Button type="button" className="border border-line bg-transparent text-fg" disabled={busy} onClick={() => void vote(2)}>
        Abstain
      </Button>
    </>
  );
}
