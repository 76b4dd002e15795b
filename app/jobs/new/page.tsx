import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { WalletBoundary } from "@/components/wallet";
import { contractAddress } from "@/lib/chain";
import { loadDeployment } from "@/lib/chain";
import { serverEnv } from "@/lib/env";
import { getModel, modelsCtx } from "@/lib/models";
import { InferenceJobForm } from "./_components/inference-job-form";
import { NewJobForm } from "./_components/new-job-form";

export const metadata: Metadata = { title: "New job" };
export const dynamic = "force-dynamic";

/** The registry model `?model=<id>` names (an inference job: a classifier's rows or a language model's prompts), or null. */
async function inferenceModel(id: string | string[] | undefined) {
  if (typeof id !== "string" || !/^[0-9a-f-]{36}$/i.test(id)) return null;
  const model = await getModel(modelsCtx(), id).catch(() => null);
  return model ?? null;
}

export default async function NewJobPage({ searchParams }: { searchParams: Promise<{ model?: string | string[]; dataset?: string | string[] }> }) {
  const deployment = await loadDeployment(serverEnv().CHAIN_ID);
  const taskManager = contractAddress(deployment, "TaskManager");
  const token = contractAddress(deployment, "CXTToken");
  const addresses = taskManager && token ? { taskManager, token } : null;
  const query = await searchParams;
  const model = await inferenceModel(query.model);
  // A catalogue page's "Train a model on it": that dataset's card is chosen.
  const initialDataset = typeof query.dataset === "string" && /^[0-9a-f-]{36}$/i.test(query.dataset) ? query.dataset : null;
  if (model) {
    return (
      <>
        <PageHeader title="New inference job">
          {model.kind === "gpt"
            ? `Every prompt of your file is continued by ${model.name} (${model.architecture}), greedily and token for token the same on every node,`
            : `Every row of the dataset is classified by ${model.name} (${model.architecture}) on the network's nodes,`}{" "}
          each fragment replicated and checked; the spec hash (which names the model&apos;s content hash) goes on-chain with TaskManager.createTask.
        </PageHeader>
        <WalletBoundary fallback={<Skeleton className="h-64" />}>
          <InferenceJobForm modelId={model.id} modelName={model.name} modelKind={model.kind} addresses={addresses} />
        </WalletBoundary>
      </>
    );
  }
  return (
    <>
      <PageHeader title="New training job">
        Pick a dataset — a built-in, one of yours or a published one — and a model; the rest has sensible defaults under
        Advanced. The job&apos;s spec hash then goes on-chain with TaskManager.createTask from your wallet; the job turns
        active once the chain confirms it.
      </PageHeader>
      <WalletBoundary fallback={<Skeleton className="h-64" />}>
        <NewJobForm addresses={addresses} initialDataset={initialDataset} />
      </WalletBoundary>
    </>
  );
}
