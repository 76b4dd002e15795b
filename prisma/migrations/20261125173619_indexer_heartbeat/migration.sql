-- AlterTable
ALTER TABLE "indexer_checkpoints" ADD COLUMN     "heartbeat_at" TIMESTAMPTZ(3);
