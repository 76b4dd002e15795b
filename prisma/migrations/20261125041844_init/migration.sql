-- CreateTable
CREATE TABLE "indexer_checkpoints" (
    "chain_id" INTEGER NOT NULL,
    "block_number" BIGINT NOT NULL,
    "block_hash" TEXT NOT NULL,
    "head_number" BIGINT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "indexer_checkpoints_pkey" PRIMARY KEY ("chain_id")
);

-- CreateTable
CREATE TABLE "indexer_blocks" (
    "chain_id" INTEGER NOT NULL,
    "number" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "parent_hash" TEXT NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "indexer_blocks_pkey" PRIMARY KEY ("chain_id","number")
);

-- CreateTable
CREATE TABLE "chain_events" (
    "id" BIGSERIAL NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "block_number" BIGINT NOT NULL,
    "block_hash" TEXT NOT NULL,
    "tx_hash" TEXT NOT NULL,
    "log_index" INTEGER NOT NULL,
    "address" TEXT NOT NULL,
    "contract" TEXT NOT NULL,
    "event_name" TEXT NOT NULL,
    "args" JSONB NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "chain_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "indexer_journal" (
    "id" BIGSERIAL NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "block_number" BIGINT NOT NULL,
    "table_name" TEXT NOT NULL,
    "key" JSONB NOT NULL,
    "prev" JSONB,

    CONSTRAINT "indexer_journal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "token_balances" (
    "chain_id" INTEGER NOT NULL,
    "token" TEXT NOT NULL,
    "account" TEXT NOT NULL,
    "balance" DECIMAL(78,0) NOT NULL,
    "updated_block" BIGINT NOT NULL,

    CONSTRAINT "token_balances_pkey" PRIMARY KEY ("chain_id","token","account")
);

-- CreateTable
CREATE TABLE "token_allowances" (
    "chain_id" INTEGER NOT NULL,
    "token" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "spender" TEXT NOT NULL,
    "amount" DECIMAL(78,0) NOT NULL,
    "updated_block" BIGINT NOT NULL,

    CONSTRAINT "token_allowances_pkey" PRIMARY KEY ("chain_id","token","owner","spender")
);

-- CreateTable
CREATE TABLE "token_supplies" (
    "chain_id" INTEGER NOT NULL,
    "token" TEXT NOT NULL,
    "total_supply" DECIMAL(78,0) NOT NULL,
    "minted" DECIMAL(78,0) NOT NULL,
    "burned" DECIMAL(78,0) NOT NULL,
    "updated_block" BIGINT NOT NULL,

    CONSTRAINT "token_supplies_pkey" PRIMARY KEY ("chain_id","token")
);

-- CreateIndex
CREATE INDEX "chain_events_chain_id_contract_event_name_block_number_idx" ON "chain_events"("chain_id", "contract", "event_name", "block_number");

-- CreateIndex
CREATE UNIQUE INDEX "chain_events_log_key" ON "chain_events"("chain_id", "block_number", "block_hash", "tx_hash", "log_index");

-- CreateIndex
CREATE INDEX "indexer_journal_chain_id_block_number_idx" ON "indexer_journal"("chain_id", "block_number");

-- CreateIndex
CREATE INDEX "token_balances_chain_id_token_balance_idx" ON "token_balances"("chain_id", "token", "balance");
