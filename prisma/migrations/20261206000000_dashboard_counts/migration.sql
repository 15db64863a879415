-- The Overview counts tasks by state (the queue's depth) and by source over its window (the auto-scheduled share)
-- on every call: one index-only scan of (created_at, source, state) answers both, where a scan of the table read
-- 100 MB at 200 000 tasks (65 ms against 18 ms). The old index on created_at alone is its prefix.
DROP INDEX IF EXISTS "tasks_created_at_idx";
CREATE INDEX "tasks_created_at_source_state_idx" ON "tasks" ("created_at" DESC, "source", "state");

-- No parallel scans of the queue's table: on the app's machines (two cores shared with the app) a parallel count
-- took 50 ms where the same scan alone took 18 ms, and each one would take two workers away from claims.
ALTER TABLE "tasks" SET (parallel_workers = 0);
