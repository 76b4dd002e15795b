-- Chain mirror derived tables. token_allowances is dropped: OpenZeppelin 5 emits no Approval when
-- transferFrom spends an allowance, so allowances cannot be mirrored exactly from events.

-- AlterTable
ALTER TABLE "indexer_checkpoints" ADD COLUMN     "events_indexed" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "reorgs" INTEGER NOT NULL DEFAULT 0;

-- DropTable
DROP TABLE "token_allowances";

-- CreateTable
CREATE TABLE "nodes" (
    "chain_id" INTEGER NOT NULL,
    "node_id" BIGINT NOT NULL,
    "owner" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL,
    "tier" INTEGER NOT NULL,
    "metadata_uri" TEXT NOT NULL,
    "registered_at" TIMESTAMPTZ(3) NOT NULL,
    "stake" DECIMAL(78,0) NOT NULL,
    "unbonding" DECIMAL(78,0) NOT NULL,
    "unbonding_release_at" TIMESTAMPTZ(3),
    "slash_count" INTEGER NOT NULL,
    "work_units" DECIMAL(78,0) NOT NULL,
    "registered_block" BIGINT NOT NULL,
    "updated_block" BIGINT NOT NULL,

    CONSTRAINT "nodes_pkey" PRIMARY KEY ("chain_id","node_id")
);

-- CreateTable
CREATE TABLE "stake_changes" (
    "chain_id" INTEGER NOT NULL,
    "block_number" BIGINT NOT NULL,
    "log_index" INTEGER NOT NULL,
    "tx_hash" TEXT NOT NULL,
    "node_id" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "amount" DECIMAL(78,0) NOT NULL,
    "stake" DECIMAL(78,0) NOT NULL,
    "unbonding" DECIMAL(78,0) NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stake_changes_pkey" PRIMARY KEY ("chain_id","block_number","log_index")
);

-- CreateTable
CREATE TABLE "tier_changes" (
    "chain_id" INTEGER NOT NULL,
    "block_number" BIGINT NOT NULL,
    "log_index" INTEGER NOT NULL,
    "node_id" BIGINT NOT NULL,
    "old_tier" INTEGER NOT NULL,
    "new_tier" INTEGER NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tier_changes_pkey" PRIMARY KEY ("chain_id","block_number","log_index")
);

-- CreateTable
CREATE TABLE "slashes" (
    "chain_id" INTEGER NOT NULL,
    "block_number" BIGINT NOT NULL,
    "log_index" INTEGER NOT NULL,
    "tx_hash" TEXT NOT NULL,
    "node_id" BIGINT NOT NULL,
    "slasher" TEXT NOT NULL,
    "bps" INTEGER NOT NULL,
    "from_stake" DECIMAL(78,0) NOT NULL,
    "from_unbonding" DECIMAL(78,0) NOT NULL,
    "evidence_hash" TEXT NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slashes_pkey" PRIMARY KEY ("chain_id","block_number","log_index")
);

-- CreateTable
CREATE TABLE "tasks" (
    "chain_id" INTEGER NOT NULL,
    "task_id" BIGINT NOT NULL,
    "creator" TEXT NOT NULL,
    "spec_hash" TEXT NOT NULL,
    "fragment_count" INTEGER NOT NULL,
    "fee" DECIMAL(78,0) NOT NULL,
    "min_tier" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "paid" DECIMAL(78,0) NOT NULL,
    "refunded" DECIMAL(78,0) NOT NULL,
    "result_hash" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "created_block" BIGINT NOT NULL,
    "created_tx" TEXT NOT NULL,
    "updated_block" BIGINT NOT NULL,

    CONSTRAINT "tasks_pkey" PRIMARY KEY ("chain_id","task_id")
);

-- CreateTable
CREATE TABLE "task_payouts" (
    "chain_id" INTEGER NOT NULL,
    "block_number" BIGINT NOT NULL,
    "log_index" INTEGER NOT NULL,
    "tx_hash" TEXT NOT NULL,
    "task_id" BIGINT NOT NULL,
    "recipient" TEXT NOT NULL,
    "amount" DECIMAL(78,0) NOT NULL,
    "kind" TEXT NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "task_payouts_pkey" PRIMARY KEY ("chain_id","block_number","log_index")
);

-- CreateTable
CREATE TABLE "epochs" (
    "chain_id" INTEGER NOT NULL,
    "epoch" BIGINT NOT NULL,
    "credentials_root" TEXT NOT NULL,
    "rewards_root" TEXT NOT NULL,
    "total" DECIMAL(78,0) NOT NULL,
    "allowance_through" DECIMAL(78,0) NOT NULL,
    "work_units" DECIMAL(78,0) NOT NULL,
    "credential_count" INTEGER NOT NULL,
    "posted_at" TIMESTAMPTZ(3) NOT NULL,
    "dispute_deadline" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL,
    "disputer" TEXT,
    "dispute_node_id" BIGINT,
    "dispute_reason_hash" TEXT,
    "claimed_amount" DECIMAL(78,0) NOT NULL,
    "claim_count" INTEGER NOT NULL,
    "posted_block" BIGINT NOT NULL,
    "posted_tx" TEXT NOT NULL,
    "updated_block" BIGINT NOT NULL,

    CONSTRAINT "epochs_pkey" PRIMARY KEY ("chain_id","epoch")
);

-- CreateTable
CREATE TABLE "claims" (
    "chain_id" INTEGER NOT NULL,
    "block_number" BIGINT NOT NULL,
    "log_index" INTEGER NOT NULL,
    "tx_hash" TEXT NOT NULL,
    "epoch" BIGINT NOT NULL,
    "account" TEXT NOT NULL,
    "node_id" BIGINT NOT NULL,
    "amount" DECIMAL(78,0) NOT NULL,
    "cumulative_amount" DECIMAL(78,0) NOT NULL,
    "work_units" DECIMAL(78,0) NOT NULL,
    "cumulative_work_units" DECIMAL(78,0) NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "claims_pkey" PRIMARY KEY ("chain_id","block_number","log_index")
);

-- CreateTable
CREATE TABLE "claim_totals" (
    "chain_id" INTEGER NOT NULL,
    "account" TEXT NOT NULL,
    "node_id" BIGINT NOT NULL,
    "amount" DECIMAL(78,0) NOT NULL,
    "work_units" DECIMAL(78,0) NOT NULL,
    "updated_block" BIGINT NOT NULL,

    CONSTRAINT "claim_totals_pkey" PRIMARY KEY ("chain_id","account","node_id")
);

-- CreateIndex
CREATE INDEX "nodes_chain_id_owner_idx" ON "nodes"("chain_id", "owner");

-- CreateIndex
CREATE INDEX "nodes_chain_id_tier_stake_idx" ON "nodes"("chain_id", "tier", "stake");

-- CreateIndex
CREATE INDEX "stake_changes_chain_id_node_id_block_number_idx" ON "stake_changes"("chain_id", "node_id", "block_number");

-- CreateIndex
CREATE INDEX "tier_changes_chain_id_node_id_block_number_idx" ON "tier_changes"("chain_id", "node_id", "block_number");

-- CreateIndex
CREATE INDEX "slashes_chain_id_node_id_idx" ON "slashes"("chain_id", "node_id");

-- CreateIndex
CREATE INDEX "tasks_chain_id_creator_idx" ON "tasks"("chain_id", "creator");

-- CreateIndex
CREATE INDEX "tasks_chain_id_spec_hash_idx" ON "tasks"("chain_id", "spec_hash");

-- CreateIndex
CREATE INDEX "task_payouts_chain_id_task_id_idx" ON "task_payouts"("chain_id", "task_id");

-- CreateIndex
CREATE INDEX "task_payouts_chain_id_recipient_idx" ON "task_payouts"("chain_id", "recipient");

-- CreateIndex
CREATE INDEX "claims_chain_id_account_idx" ON "claims"("chain_id", "account");

-- CreateIndex
CREATE INDEX "claims_chain_id_epoch_idx" ON "claims"("chain_id", "epoch");
