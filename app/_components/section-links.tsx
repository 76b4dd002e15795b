import Link from "next/link";
import { sections } from "@/components/sections";

const blurbs: Record<string, string> = {
  "/jobs": "Upload a training job, fund it, watch its loss fall and download the model with its proof.",
  "/models": "Trained models with their proof of training, and uploads: download one or try it in this browser.",
  "/nodes": "Register a node, stake CXT and climb tiers that raise rewards and governance weight.",
  "/rankings": "Tier rankings of nodes by verified work and stake.",
  "/governance": "Propose changes, vote with your stake × tier weight, queue and execute through the timelock.",
  "/explorer": "Contribution credentials with Merkle proofs checked against the roots on the chain.",
  "/worker": "Donate this tab's GPU (WebGPU, CPU fallback) to compute training fragments.",
  "/admin": "Throughput, queue, failures, indexer lag and emission for the allow-listed admins.",
};

/** A card per section of the app, each saying what it is for. */
export function SectionLinks() {
  return (
    <section className="grid gap-4 md:grid-cols-3">
      {sections.map((s) => (
        <Link key={s.href} href={s.href} className="rounded border border-line p-4 hover:border-accent">
          <h3 className="font-medium">{s.label}</h3>
          <p className="mt-1 text-sm text-muted">{blurbs[s.href]}</p>
        </Link>
      ))}
    </section>
  );
}
