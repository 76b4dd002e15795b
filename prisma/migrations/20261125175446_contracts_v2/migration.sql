-- AlterTable
ALTER TABLE "epochs" ADD COLUMN     "dispute_bond" DECIMAL(78,0);

-- AlterTable
ALTER TABLE "nodes" ADD COLUMN     "locked" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "tasks" ADD COLUMN     "cancel_reclaimable_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "governance_votes" (
    "chain_id" INTEGER NOT NULL,
    "delegate" TEXT NOT NULL,
    "votes" DECIMAL(78,0) NOT NULL,
    "updated_block" BIGINT NOT NULL,

    CONSTRAINT "governance_votes_pkey" PRIMARY KEY ("chain_id","delegate")
);

-- CreateTable
CREATE TABLE "governance_delegations" (
    "chain_id" INTEGER NOT NULL,
    "delegator" TEXT NOT NULL,
    "delegate" TEXT NOT NULL,
    "updated_block" BIGINT NOT NULL,

    CONSTRAINT "governance_delegations_pkey" PRIMARY KEY ("chain_id","delegator")
);

-- CreateTable
CREATE TABLE "proposals" (
    "chain_id" INTEGER NOT NULL,
    "proposal_id" DECIMAL(78,0) NOT NULL,
    "proposer" TEXT NOT NULL,
    "actions" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "vote_start" BIGINT NOT NULL,
    "vote_end" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "for_votes" DECIMAL(78,0) NOT NULL,
    "against_votes" DECIMAL(78,0) NOT NULL,
    "abstain_votes" DECIMAL(78,0) NOT NULL,
    "vote_count" INTEGER NOT NULL,
    "eta" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "created_block" BIGINT NOT NULL,
    "created_tx" TEXT NOT NULL,
    "updated_block" BIGINT NOT NULL,

    CONSTRAINT "proposals_pkey" PRIMARY KEY ("chain_id","proposal_id")
);

-- CreateTable
CREATE TABLE "proposal_votes" (
    "chain_id" INTEGER NOT NULL,
    "block_number" BIGINT NOT NULL,
    "log_index" INTEGER NOT NULL,
    "tx_hash" TEXT NOT NULL,
    "proposal_id" DECIMAL(78,0) NOT NULL,
    "voter" TEXT NOT NULL,
    "support" INTEGER NOT NULL,
    "weight" DECIMAL(78,0) NOT NULL,
    "reason" TEXT NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "proposal_votes_pkey" PRIMARY KEY ("chain_id","block_number","log_index")
);

-- CreateIndex
CREATE INDEX "governance_votes_chain_id_votes_idx" ON "governance_votes"("chain_id", "votes");

-- CreateIndex
CREATE INDEX "governance_delegations_chain_id_delegate_idx" ON "governance_delegations"("chain_id", "delegate");

-- CreateIndex
CREATE INDEX "proposals_chain_id_created_block_idx" ON "proposals"("chain_id", "created_block");

-- CreateIndex
CREATE INDEX "proposal_votes_chain_id_proposal_id_idx" ON "proposal_votes"("chain_id", "proposal_id");

-- CreateIndex
CREATE INDEX "proposal_votes_chain_id_voter_idx" ON "proposal_votes"("chain_id", "voter");
