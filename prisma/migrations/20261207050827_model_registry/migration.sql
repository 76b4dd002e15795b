-- CreateTable: the model registry (lib/models): completed jobs' final weights (one per job) and uploads.
CREATE TABLE "models" (
    "id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "parameters" INTEGER NOT NULL,
    "size_bytes" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "job_id" UUID,
    "owner" TEXT NOT NULL,
    "lineage" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "models_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "models_job_id_key" ON "models"("job_id");

-- CreateIndex
CREATE INDEX "models_created_at_id_idx" ON "models"("created_at", "id");

-- CreateIndex
CREATE INDEX "models_owner_idx" ON "models"("owner");
