// `corex jobs watch <id>`: a live progress bar per round (fragments accepted of the round's shards) and
// the current loss, from GET /api/jobs/{id} and its proof (every round's fragments and results, the
// round's train and held-out loss once aggregated). Bars on a terminal (cli-progress, on stderr); one
// line per change otherwise, NDJSON with --json. Resolves with the job's final status.
import cliProgress from "cli-progress";
import type { ApiClient, Proof } from "@/lib/protocol";
import { apiCallError } from "@/lib/protocol";
import type { Out } from "./output";

export const TERMINAL = new Set(["completed", "failed", "cancelled", "expired"]);

export type RoundView = { round: number; status: string; done: number; total: number; loss: number | null; heldOutLoss: number | null; heldOutAccuracy: number | null };

/** Each round's progress: fragments accepted (all of them once aggregated) and its loss — the aggregated train loss, else the mean of the losses submitted so far. */
export function roundViews(proof: Pick<Proof, "rounds">): RoundView[] {
  return proof.rounds.map((r) => {
    const aggregated = r.status === "aggregated";
    const losses = r.fragments.flatMap((f) => f.results.map((x) => x.loss)).filter((l): l is number => typeof l === "number" && Number.isFinite(l));
    return {
      round: r.round, status: r.status, total: r.fragments.length,
      done: aggregated ? r.fragments.length : r.fragments.filter((f) => f.status === "accepted").length,
      loss: r.trainLoss ?? (losses.length ? losses.reduce((a, b) => a + b, 0) / losses.length : null),
      heldOutLoss: r.heldOutLoss, heldOutAccuracy: r.heldOutAccuracy,
    };
  });
}

const fmt = (x: number | null, digits = 4) => (x === null ? "–" : x.toFixed(digits));
const lossText = (v: RoundView) => `loss ${fmt(v.loss)}${v.heldOutLoss !== null ? `  held-out ${fmt(v.heldOutLoss)}` : ""}${v.heldOutAccuracy !== null ? `  acc ${(100 * v.heldOutAccuracy).toFixed(1)} %` : ""}`;

export async function watchJob(api: ApiClient, id: string, out: Out, opts: { intervalMs: number; timeoutMs: number | null }): Promise<string> {
  const tty = !out.json && Boolean(process.stderr.isTTY);
  const multi = tty ? new cliProgress.MultiBar({ format: " round {round} [{bar}] {value}/{total} fragments  {loss}", hideCursor: true, clearOnComplete: false, autopadding: true }, cliProgress.Presets.shades_classic) : null;
  const bars = new Map<number, cliProgress.SingleBar>();
  const seen = new Map<number, string>();
  let lastStatus = "";
  const deadline = opts.timeoutMs === null ? null : Date.now() + opts.timeoutMs;
  try {
    for (;;) {
      const j = await api.GET("/api/jobs/{id}", { params: { path: { id } } });
      if (!j.response.ok) throw apiCallError(`job ${id}`, j.response, j.error);
      const job = j.data!;
      if (job.status !== lastStatus) {
        lastStatus = job.status;
        if (out.json) out.result("", { event: "status", jobId: id, status: job.status });
        else if (multi) multi.log(`job ${id}: ${job.status}\n`);
        else console.error(`job ${id}: ${job.status}`);
      }
      if (job.status !== "awaiting_chain") {
        const p = await api.GET("/api/jobs/{id}/proof", { params: { path: { id } } });
        // 404 until the scheduler has opened round 0 of a freshly activated job
        if (!p.response.ok && p.response.status !== 404) throw apiCallError(`proof of job ${id}`, p.response, p.error);
        for (const v of p.data ? roundViews(p.data as unknown as Proof) : []) {
          const key = `${v.status} ${v.done}/${v.total} ${v.loss} ${v.heldOutLoss}`;
          if (seen.get(v.round) === key) continue;
          seen.set(v.round, key);
          if (multi) {
            const bar = bars.get(v.round) ?? multi.create(v.total, 0, { round: v.round, loss: "" });
            bars.set(v.round, bar);
            bar.setTotal(v.total);
            bar.update(v.done, { round: v.round, loss: lossText(v) });
          } else if (out.json) out.result("", { event: "round", jobId: id, ...v });
          else console.error(`round ${v.round}: ${v.done}/${v.total} fragments  ${lossText(v)}${v.status === "aggregated" ? "  (aggregated)" : ""}`);
        }
      }
      if (TERMINAL.has(job.status)) return job.status;
      if (deadline !== null && Date.now() > deadline) return job.status;
      await new Promise((r) => setTimeout(r, opts.intervalMs));
    }
  } finally {
    multi?.stop();
  }
}
