-- CreateTable
CREATE TABLE "training_runs" (
    "job_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "priority" DECIMAL(78,0) NOT NULL,
    "final_weights_sha256" TEXT,
    "complete_tx" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "training_runs_pkey" PRIMARY KEY ("job_id")
);

-- CreateTable
CREATE TABLE "rounds" (
    "job_id" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "weights_sha256" TEXT NOT NULL,
    "optimizer_state_sha256" TEXT,
    "accepted_results" JSONB,
    "next_weights_sha256" TEXT,
    "next_optimizer_state_sha256" TEXT,
    "train_loss" DOUBLE PRECISION,
    "held_out_loss" DOUBLE PRECISION,
    "held_out_accuracy" DOUBLE PRECISION,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "aggregated_at" TIMESTAMPTZ(3),

    CONSTRAINT "rounds_pkey" PRIMARY KEY ("job_id","round")
);

-- CreateTable
CREATE TABLE "fragments" (
    "id" UUID NOT NULL,
    "job_id" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "shard" INTEGER NOT NULL,
    "seed" BIGINT NOT NULL,
    "weights_sha256" TEXT NOT NULL,
    "shard_sha256" TEXT NOT NULL,
    "work_units" DECIMAL(78,0) NOT NULL,
    "quorum" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "accepted_sha256" TEXT,
    "accepted_loss" DOUBLE PRECISION,
    "reference_sha256" TEXT,
    "accepted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fragments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "replica_slots" (
    "id" UUID NOT NULL,
    "fragment_id" UUID NOT NULL,
    "job_id" UUID NOT NULL,
    "replica" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "priority" DECIMAL(78,0) NOT NULL,
    "min_tier" INTEGER NOT NULL,
    "lease_ms" INTEGER NOT NULL,
    "node_id" BIGINT,
    "owner" TEXT,
    "lease_deadline" TIMESTAMPTZ(3),
    "claimed_at" TIMESTAMPTZ(3),
    "leases" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "replica_slots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fragment_results" (
    "id" UUID NOT NULL,
    "slot_id" UUID NOT NULL,
    "fragment_id" UUID NOT NULL,
    "job_id" UUID NOT NULL,
    "replica" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "node_id" BIGINT NOT NULL,
    "owner" TEXT NOT NULL,
    "signer" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "delta_sha256" TEXT NOT NULL,
    "loss" DOUBLE PRECISION NOT NULL,
    "work_units" DECIMAL(78,0) NOT NULL,
    "status" TEXT NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "verified_at" TIMESTAMPTZ(3),

    CONSTRAINT "fragment_results_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "faults" (
    "id" UUID NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "node_id" BIGINT NOT NULL,
    "owner" TEXT NOT NULL,
    "job_id" UUID NOT NULL,
    "fragment_id" UUID NOT NULL,
    "result_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "faults_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "training_runs_status_idx" ON "training_runs"("status");

-- CreateIndex
CREATE INDEX "fragments_status_idx" ON "fragments"("status");

-- CreateIndex
CREATE UNIQUE INDEX "fragments_job_id_round_shard_key" ON "fragments"("job_id", "round", "shard");

-- CreateIndex
CREATE UNIQUE INDEX "replica_slots_fragment_id_replica_key" ON "replica_slots"("fragment_id", "replica");

-- CreateIndex
CREATE UNIQUE INDEX "fragment_results_slot_id_key" ON "fragment_results"("slot_id");

-- CreateIndex
CREATE INDEX "fragment_results_fragment_id_idx" ON "fragment_results"("fragment_id");

-- CreateIndex
CREATE INDEX "fragment_results_status_verified_at_idx" ON "fragment_results"("status", "verified_at");

-- CreateIndex
CREATE INDEX "fragment_results_node_id_idx" ON "fragment_results"("node_id");

-- CreateIndex
CREATE UNIQUE INDEX "faults_result_id_key" ON "faults"("result_id");

-- CreateIndex
CREATE INDEX "faults_chain_id_node_id_idx" ON "faults"("chain_id", "node_id");

-- Claimable slots (open, or leased with a lease that may have expired): the claim query's partial index,
-- in claim order (priority, then age).
CREATE INDEX "replica_slots_claimable_idx" ON "replica_slots"("priority" DESC, "created_at") WHERE "state" IN ('open', 'leased');

-- Never two live replicas of one fragment with the same owner, even under concurrent claims.
CREATE UNIQUE INDEX "replica_slots_owner_live_key" ON "replica_slots"("fragment_id", "owner") WHERE "state" IN ('leased', 'submitted');
