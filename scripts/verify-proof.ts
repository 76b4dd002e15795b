// `npm run verify-proof -- --api <url> --job <id> [--fragment r:s … | --all]`: downloads a job's proof
// and blobs from a coordinator's public API, recomputes the chosen fragments with the CPU reference and
// every round's outer step, checks every hash and the tolerance; exits 1 on any mismatch.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkProof, type Proof } from "@/lib/protocol";

function parseArgs(argv: string[]) {
  const out: { api?: string; job?: string; fragments: { round: number; shard: number }[]; all: boolean } = { fragments: [], all: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--api") out.api = argv[++i];
    else if (a === "--job") out.job = argv[++i];
    else if (a === "--all") out.all = true;
    else if (a === "--fragment") {
      const m = /^(\d+):(\d+)$/.exec(argv[++i] ?? "");
      if (!m) throw new Error("--fragment takes r:s (round:shard)");
      out.fragments.push({ round: Number(m[1]), shard: Number(m[2]) });
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!out.api || !out.job) throw new Error("usage: npm run verify-proof -- --api <url> --job <id> [--fragment r:s | --all]");
  return out;
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const args = parseArgs(argv);
  const api = args.api!.replace(/\/$/, "");
  const res = await fetch(`${api}/api/jobs/${args.job}/proof`);
  if (!res.ok) throw new Error(`GET proof: ${res.status} ${await res.text()}`);
  const proof = (await res.json()) as Proof;
  const fetchBlob = async (h: string) => {
    const r = await fetch(`${api}/api/blobs/${h}`);
    if (!r.ok) throw new Error(`GET blob ${h}: ${r.status}`);
    return new Uint8Array(await r.arrayBuffer());
  };
  const result = await checkProof(proof, fetchBlob, { fragments: args.all || args.fragments.length === 0 ? "all" : args.fragments, log: (l) => console.log(l) });
  for (const m of result.mismatches) console.log(`MISMATCH ${m}`);
  console.log(`${result.mismatches.length === 0 ? "verified" : "FAILED"}: ${result.fragmentsChecked} fragments recomputed, ${result.roundsChecked} rounds re-aggregated, final weights ${proof.finalWeightsSha256 ?? "(not yet)"}, proof root ${proof.proofRoot ?? "(not yet)"}`);
  return result.mismatches.length === 0 ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => process.exit(code), (e: unknown) => {
    console.error((e as Error).message);
    process.exit(2);
  });
}
