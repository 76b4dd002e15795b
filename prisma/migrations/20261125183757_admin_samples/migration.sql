-- CreateTable
CREATE TABLE "admin_samples" (
    "id" BIGSERIAL NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "head_block" BIGINT,
    "indexed_block" BIGINT,
    "reorgs" INTEGER NOT NULL,
    "events_indexed" BIGINT NOT NULL,
    "jobs_by_status" JSONB NOT NULL,
    "active_nodes" INTEGER NOT NULL,
    "work_units" DECIMAL(78,0) NOT NULL,
    "cxt_supply" DECIMAL(78,0) NOT NULL,

    CONSTRAINT "admin_samples_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "admin_samples_chain_id_at_idx" ON "admin_samples"("chain_id", "at");
