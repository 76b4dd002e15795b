-- AlterTable
ALTER TABLE "fragments" ADD COLUMN     "spot_check" BOOLEAN;

-- DropIndex: every query on the status of fragments also names the job and round (the unique index serves
-- it). Without it no index covers a column the accept changes, so with free room on the page (the
-- fillfactor) accepting a fragment is a HOT update: one heap write, no index entries.
DROP INDEX "fragments_status_idx";
ALTER TABLE "fragments" SET (fillfactor = 40);

-- The claim scans open slots in claim order and expired leases by deadline, each over its own partial
-- index. The single index over the open and leased states made every claim walk past all live leases (a heap
-- visit each, to read the deadline), so a claim cost grew with the number of slots in flight. Claim
-- order ends with the replica number: the slots of a round share priority and age, and this way a batch
-- of candidates holds distinct fragments (one owner may hold only one replica of each) instead of
-- pairs of replicas of which the claim could use only one.
DROP INDEX "replica_slots_claimable_idx";
CREATE INDEX "replica_slots_open_idx" ON "replica_slots"("priority" DESC, "created_at", "replica") WHERE "state" = 'open';
CREATE INDEX "replica_slots_lease_idx" ON "replica_slots"("lease_deadline") WHERE "state" = 'leased';

-- Never two leased replicas of one fragment with the same owner, even under concurrent claims. A slot
-- only becomes submitted after its lease committed, so the NOT EXISTS of the claim (leased or submitted)
-- already sees every submitted replica, and the index only has to settle concurrent claims, and submitted
-- slots (all history) no longer take an entry each.
DROP INDEX "replica_slots_owner_live_key";
CREATE UNIQUE INDEX "replica_slots_owner_live_key" ON "replica_slots"("fragment_id", "owner") WHERE "state" = 'leased';
