-- AlterTable
ALTER TABLE "datasets" ADD COLUMN     "description" TEXT,
ADD COLUMN     "fee_bps" INTEGER,
ADD COLUMN     "license" TEXT,
ADD COLUMN     "profile" JSONB,
ADD COLUMN     "published_at" TIMESTAMPTZ(3),
ADD COLUMN     "supersedes_id" UUID,
ADD COLUMN     "title" TEXT,
ADD COLUMN     "unlisted_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "datasets_published_at_idx" ON "datasets"("published_at");

-- AddForeignKey
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_supersedes_id_fkey" FOREIGN KEY ("supersedes_id") REFERENCES "datasets"("id") ON DELETE SET NULL ON UPDATE CASCADE;
