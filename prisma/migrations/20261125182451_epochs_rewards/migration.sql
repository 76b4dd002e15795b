-- CreateTable
CREATE TABLE "credentials" (
    "id" TEXT NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "epoch" BIGINT,
    "node_id" BIGINT NOT NULL,
    "owner" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "fragment_id" TEXT NOT NULL,
    "result_hash" TEXT NOT NULL,
    "work_units" DECIMAL(78,0) NOT NULL,
    "role" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credentials_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "epoch_closes" (
    "chain_id" INTEGER NOT NULL,
    "epoch" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "window_end" TIMESTAMPTZ(3) NOT NULL,
    "close_block" BIGINT NOT NULL,
    "inputs" JSONB NOT NULL,
    "credentials_tree" JSONB,
    "rewards_tree" JSONB NOT NULL,
    "credentials_root" TEXT NOT NULL,
    "rewards_root" TEXT NOT NULL,
    "total" DECIMAL(78,0) NOT NULL,
    "work_units" DECIMAL(78,0) NOT NULL,
    "credential_count" INTEGER NOT NULL,
    "tx_hash" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "epoch_closes_pkey" PRIMARY KEY ("chain_id","epoch")
);

-- CreateTable
CREATE TABLE "fault_slashes" (
    "fault_id" TEXT NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "node_id" BIGINT NOT NULL,
    "evidence" JSONB NOT NULL,
    "evidence_hash" TEXT NOT NULL,
    "bps" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "tx_hash" TEXT,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fault_slashes_pkey" PRIMARY KEY ("fault_id")
);

-- CreateIndex
CREATE INDEX "credentials_chain_id_epoch_idx" ON "credentials"("chain_id", "epoch");

-- CreateIndex
CREATE INDEX "credentials_chain_id_node_id_idx" ON "credentials"("chain_id", "node_id");

-- CreateIndex
CREATE INDEX "credentials_chain_id_job_id_idx" ON "credentials"("chain_id", "job_id");

-- CreateIndex
CREATE UNIQUE INDEX "credentials_chain_id_role_job_id_fragment_id_node_id_key" ON "credentials"("chain_id", "role", "job_id", "fragment_id", "node_id");

-- CreateIndex
CREATE INDEX "fault_slashes_chain_id_node_id_idx" ON "fault_slashes"("chain_id", "node_id");
