-- Rate-limit rows and sessions expire (issue 21): each counter row records the end of its window and
-- is swept after it, and sessions are swept after they expire.
-- The counters of the current windows are dropped instead of back-filled: an existing row has no
-- window length to compute its end from, and losing them only restarts each budget once.
DELETE FROM "rate_limits";

-- DropIndex
DROP INDEX "rate_limits_window_start_idx";

-- AlterTable
ALTER TABLE "rate_limits" ADD COLUMN     "expires_at" TIMESTAMPTZ(3) NOT NULL;

-- CreateIndex
CREATE INDEX "rate_limits_expires_at_idx" ON "rate_limits"("expires_at");

-- CreateIndex
CREATE INDEX "sessions_expires_at_idx" ON "sessions"("expires_at");
