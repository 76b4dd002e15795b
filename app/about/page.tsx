import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { loadDeployment, resolveChain } from "@/lib/chain";
import { publicConfig, serverEnv } from "@/lib/env";
import { getHealth } from "@/lib/health";
import { ContractsSection } from "../_components/contracts-table";
import { NetworkStatus } from "../_components/network-status";
import { SectionLinks } from "../_components/section-links";

export const metadata: Metadata = { title: "About & status" };
export const dynamic = "force-dynamic";

/**
 * The operator's view, moved off the front door: is the database, chain and indexer up, which
 * contracts this deployment runs, and what each section of the app is for.
 */
export default async function AboutPage() {
  const env = serverEnv();
  const [health, deployment] = await Promise.all([getHealth(), loadDeployment(env.CHAIN_ID).catch(() => undefined)]);
  return (
    <div className="space-y-10">
      <PageHeader title="About & status">
        Corex Network splits training jobs into fragments, has independent replicas check them and pays verified
        work in CXT. This page shows whether the services behind this app are healthy and which contracts it talks to.
      </PageHeader>
      <section aria-labelledby="status-heading" className="space-y-3">
        <h2 id="status-heading" className="text-lg font-semibold">Status</h2>
        <NetworkStatus health={health} />
      </section>
      <ContractsSection deployment={deployment} chain={resolveChain(publicConfig())} chainId={env.CHAIN_ID} />
      <section aria-labelledby="sections-heading" className="space-y-3">
        <h2 id="sections-heading" className="text-lg font-semibold">What each section is for</h2>
        <SectionLinks />
      </section>
    </div>
  );
}
