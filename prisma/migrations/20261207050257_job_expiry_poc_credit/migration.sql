-- AlterTable: the split the shards of a job were cut from (lib/jobs/shards.ts), so a second job on the
-- same dataset and split names the blobs of the first instead of writing them again.
ALTER TABLE "jobs" ADD COLUMN     "split_key" TEXT;

-- CreateIndex
CREATE INDEX "jobs_split_key_idx" ON "jobs"("split_key");

-- One credited Compute-PoC pass per node and epoch (EPOCH_RULES.computeProof): at most one pending
-- compute-proof credential per node, of the fixed weight. Of the passes credited before this rule, each
-- node keeps the one with the lowest id, at the fixed weight (the reward rules credit no other anyway).
DELETE FROM "credentials" c USING "credentials" k
WHERE c."role" = 'compute-proof' AND c."epoch" IS NULL AND k."role" = 'compute-proof' AND k."epoch" IS NULL
  AND k."chain_id" = c."chain_id" AND k."node_id" = c."node_id" AND k."id" < c."id";
UPDATE "credentials" SET "work_units" = 100000 WHERE "role" = 'compute-proof' AND "epoch" IS NULL AND "work_units" > 100000;

-- A partial unique index: the Prisma schema language has none, and the drift check ignores it.
-- (No semicolon may appear in these comments: the Prisma schema engine splits scripts on it.)
CREATE UNIQUE INDEX "credentials_pending_proof_key" ON "credentials"("chain_id", "node_id") WHERE "role" = 'compute-proof' AND "epoch" IS NULL;
