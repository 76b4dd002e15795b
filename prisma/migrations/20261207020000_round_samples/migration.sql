-- AlterTable: GPT jobs store the samples generated from each aggregated round's weights.
ALTER TABLE "rounds" ADD COLUMN     "samples" JSONB;
