-- Task fees settled through the epoch root (#19 item 2 / F10) and the dataset provider's share (#24):
-- the provider and its share per task, when the task closed, the epoch and cumulative amount of each
-- fee/refund claim, and each closed epoch's fee leaves.
ALTER TABLE "tasks" ADD COLUMN "provider" TEXT;
ALTER TABLE "tasks" ADD COLUMN "provider_fee_bps" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "tasks" ADD COLUMN "closed_at" TIMESTAMPTZ(3);
CREATE INDEX "tasks_chain_id_provider_idx" ON "tasks"("chain_id", "provider");
ALTER TABLE "task_payouts" ADD COLUMN "epoch" BIGINT;
ALTER TABLE "task_payouts" ADD COLUMN "cumulative" DECIMAL(78,0);
ALTER TABLE "epoch_closes" ADD COLUMN "fees_tree" JSONB;
