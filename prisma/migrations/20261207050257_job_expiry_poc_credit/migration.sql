-- AlterTable: the split a job's shards were cut from (lib/jobs/shards.ts), so a second job on the same
-- dataset and split reuses the first one's shard blobs instead of writing them again.
ALTER TABLE "jobs" ADD COLUMN     "split_key" TEXT;

-- CreateIndex
CREATE INDEX "jobs_split_key_idx" ON "jobs"("split_key");

-- One credited Compute-PoC pass per node and epoch (EPOCH_RULES.computeProof): at most one pending
-- compute-proof credential per node, of the fixed weight. Passes credited before this rule keep the
-- lowest id per node, at the fixed weight; the reward rules would not credit the others anyway.
DELETE FROM "credentials" c USING "credentials" k
WHERE c."role" = 'compute-proof' AND c."epoch" IS NULL AND k."role" = 'compute-proof' AND k."epoch" IS NULL
  AND k."chain_id" = c."chain_id" AND k."node_id" = c."node_id" AND k."id" < c."id";
UPDATE "credentials" SET "work_units" = 100000 WHERE "role" = 'compute-proof' AND "epoch" IS NULL AND "work_units" > 100000;

-- A partial unique index (Prisma's schema language has none; the drift check ignores it).
CREATE UNIQUE INDEX "credentials_pending_proof_key" ON "credentials"("chain_id", "node_id") WHERE "role" = 'compute-proof' AND "epoch" IS NULL;
