// `npm run epochs`: the coordinator's epoch loop. Every EPOCH_POLL_MS it records the scheduler's newly
// accepted results as credentials, slashes newly recorded faults, settles the cancellations creators
// requested (TaskManager.settleCancel closes the task; its fee and refund leaves come with the next epoch),
// settles as upheld every dispute whose resolveBy passed without a verdict (settleDispute), tries to close the next epoch
// (lib/epochs closeEpoch: posted once EPOCH_SECONDS of chain time have passed and the previous epoch is
// final), and with EPOCH_RELAYER=1 pushes everyone's claims of the latest final epoch with claimMany (and
// each task fee / refund leaf with claimFee / claimRefund).
// Several instances may run: the closer's advisory lock and the chain check let exactly one post.
// Env: lib/config/epochs.ts (the app's server variables plus EPOCH_SECONDS, EPOCH_RELAYER, EPOCH_POLL_MS
// and EPOCH_DEV_MINE, which `npm run dev` sets on its own anvil to keep an idle dev chain's clock moving),
// validated once at start-up.
import { ConfigError, parseEnv } from "@/lib/config";
import { epochsEnvSchema } from "@/lib/config";
import { createPrismaClient } from "@/lib/db";
import { closeEpoch, epochChainFromEnv, ingestContributions, relayClaims, settleCancelledJobs, settleExpiredDisputes, slashNewFaults } from "@/lib/epochs";
import { runLoop } from "./lib/loop";

const log = (s: string) => console.log(`[epochs] ${s}`);

async function main() {
  const env = parseEnv("epochs", epochsEnvSchema);
  const pollMs = env.EPOCH_POLL_MS;
  const db = createPrismaClient(env.DATABASE_URL);
  log(`closing an epoch every ${env.EPOCH_SECONDS} s of chain time${env.EPOCH_RELAYER ? ", relaying claims" : ""}`);
  let lastReason = "";
  // An idle automining dev chain has no clock (time moves only with blocks): there the loop mines an
  // empty block when none came for a poll interval, so epochs end and windows close in real time.
  const devMine = env.EPOCH_DEV_MINE && env.CHAIN_ID === 31337;
  let seen = { block: -1n, at: Date.now() };
  // Watermarks of the scheduler's output already turned into credentials and slashes (from the start
  // after a restart: both steps are idempotent).
  let contributionsSince = new Date(0);
  let faultsSince = new Date(0);
  await runLoop(
    async () => {
      const chain = await epochChainFromEnv();
      if (devMine) {
        const block = await chain.client.getBlockNumber();
        if (block !== seen.block) seen = { block, at: Date.now() };
        else if (Date.now() - seen.at >= pollMs) await chain.client.request({ method: "evm_mine", params: [] } as never);
      }
      const ingested = await ingestContributions(db, chain.chainId, contributionsSince);
      if (ingested.recorded && contributionsSince.getTime() === 0) log(`${ingested.recorded} accepted result(s) recorded as credentials`);
      contributionsSince = ingested.next;
      const faultPass = new Date(Date.now() - 120_000);
      for (const s of await slashNewFaults(db, chain, faultsSince)) {
        if (s.status === "sent") log(`slashed for fault ${s.faultId}: ${s.txHash}`);
        if (s.status === "failed") log(`slash for fault ${s.faultId} failed: ${s.error}`);
      }
      faultsSince = faultPass;
      await settleCancelledJobs(db, chain, { log });
      for (const s of await settleExpiredDisputes(chain, { log })) if (s.status === "failed") log(`settling dispute ${s.index} of epoch ${s.epoch} failed: ${s.reason}`);
      const r = await closeEpoch(db, chain, { minSeconds: env.EPOCH_SECONDS, log });
      if (r.status === "skipped" && r.reason !== lastReason) log(`not closing: ${r.reason}`);
      lastReason = r.status === "skipped" ? r.reason : "";
      if (env.EPOCH_RELAYER) {
        const relayed = await relayClaims(db, chain);
        if (relayed.count) log(`relayed ${relayed.count} claim(s) of epoch ${relayed.epoch}: ${relayed.txHash}`);
        if (relayed.fees) log(`relayed ${relayed.fees} task fee / refund claim(s) of epoch ${relayed.epoch}`);
      }
    },
    { intervalMs: pollMs, onError: (e) => log(`error: ${e.message.split("\n")[0]}`) },
  );
  await db.$disconnect();
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? `[epochs] ${e.message}` : e);
  process.exit(1);
});
