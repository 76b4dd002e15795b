-- CreateTable
CREATE TABLE "poc_challenges" (
    "id" UUID NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "node_id" BIGINT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "n" INTEGER NOT NULL,
    "seed" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "poc_challenges_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "poc_attempts" (
    "id" UUID NOT NULL,
    "challenge_id" UUID NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "node_id" BIGINT NOT NULL,
    "outcome" TEXT NOT NULL,
    "answer_sha256" TEXT NOT NULL,
    "elapsed_ms" INTEGER NOT NULL,
    "wall_ms" INTEGER NOT NULL,
    "ops_per_second" DOUBLE PRECISION,
    "wall_ops_per_second" DOUBLE PRECISION,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "poc_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "poc_challenges_chain_id_node_id_issued_at_idx" ON "poc_challenges"("chain_id", "node_id", "issued_at");

-- CreateIndex
CREATE INDEX "poc_attempts_chain_id_node_id_created_at_idx" ON "poc_attempts"("chain_id", "node_id", "created_at");

-- CreateIndex
CREATE INDEX "poc_attempts_answer_sha256_idx" ON "poc_attempts"("answer_sha256");

-- AddForeignKey
ALTER TABLE "poc_attempts" ADD CONSTRAINT "poc_attempts_challenge_id_fkey" FOREIGN KEY ("challenge_id") REFERENCES "poc_challenges"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
