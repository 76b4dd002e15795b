-- CreateTable
CREATE TABLE "auth_nonces" (
    "nonce" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "auth_nonces_pkey" PRIMARY KEY ("nonce")
);

-- CreateTable
CREATE TABLE "sessions" (
    "token_hash" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("token_hash")
);

-- CreateTable
CREATE TABLE "session_keys" (
    "id" UUID NOT NULL,
    "owner" TEXT NOT NULL,
    "key_address" TEXT NOT NULL,
    "node_id" BIGINT NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "signature" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "session_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rate_limits" (
    "key" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key","window_start")
);

-- CreateTable
CREATE TABLE "datasets" (
    "id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "owner" TEXT,
    "sha256" TEXT NOT NULL,
    "rows" INTEGER NOT NULL,
    "features" INTEGER NOT NULL,
    "classes" INTEGER NOT NULL,
    "feature_names" JSONB NOT NULL,
    "class_names" JSONB NOT NULL,
    "label_column" TEXT,
    "mean" JSONB NOT NULL,
    "std" JSONB NOT NULL,
    "held_out_rows" INTEGER,
    "size_bytes" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "datasets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "jobs" (
    "id" UUID NOT NULL,
    "creator" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "spec_hash" TEXT NOT NULL,
    "spec" JSONB NOT NULL,
    "fragment_count" INTEGER NOT NULL,
    "work_units" DECIMAL(78,0) NOT NULL,
    "suggested_fee" DECIMAL(78,0) NOT NULL,
    "dataset_id" UUID NOT NULL,
    "shards" JSONB NOT NULL,
    "held_out_sha256" TEXT NOT NULL,
    "task_id" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activated_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "auth_nonces_expires_at_idx" ON "auth_nonces"("expires_at");

-- CreateIndex
CREATE INDEX "sessions_address_idx" ON "sessions"("address");

-- CreateIndex
CREATE INDEX "session_keys_owner_idx" ON "session_keys"("owner");

-- CreateIndex
CREATE UNIQUE INDEX "session_keys_key_address_key" ON "session_keys"("key_address");

-- CreateIndex
CREATE INDEX "rate_limits_window_start_idx" ON "rate_limits"("window_start");

-- CreateIndex
CREATE INDEX "datasets_owner_idx" ON "datasets"("owner");

-- CreateIndex
CREATE UNIQUE INDEX "jobs_spec_hash_key" ON "jobs"("spec_hash");

-- CreateIndex
CREATE INDEX "jobs_creator_idx" ON "jobs"("creator");

-- CreateIndex
CREATE INDEX "jobs_status_idx" ON "jobs"("status");

-- AddForeignKey
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
