-- Contracts v3: several disputes per epoch (a rejected one returns the epoch to "posted" only when none
-- is left open) and the next tranche's release time from Staking.Withdrawn.
ALTER TABLE "epochs" ADD COLUMN "open_disputes" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "nodes" ADD COLUMN "next_release_at" TIMESTAMPTZ(3);
