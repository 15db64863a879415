-- The queue console: full-text search over a task's title, description and outcome summary, and indexes for the
-- lists it shows at 200 000 tasks. The search vector is a stored generated column (PostgreSQL keeps it current on
-- every write; the app never writes it), weighted title > description > summary, English stemming.

-- AlterTable
ALTER TABLE "tasks" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english'::regconfig, coalesce("title", '')), 'A') ||
  setweight(to_tsvector('english'::regconfig, coalesce("description", '')), 'B') ||
  setweight(to_tsvector('english'::regconfig, coalesce("outcome" ->> 'summary', '')), 'C')
) STORED;

-- Search.
CREATE INDEX "tasks_search_idx" ON "tasks" USING GIN ("search");

-- Pending in claim order across every agent (the board's Pending column and the console's claim order).
CREATE INDEX "tasks_priority_created_at_id_idx" ON "tasks" ("priority" DESC, "created_at", "id")
  WHERE "state" = 'pending';

-- Failed and cancelled newest first: rare states, so a scan of the newest tasks would walk far to find them.
CREATE INDEX "tasks_state_created_at_id_idx" ON "tasks" ("state", "created_at" DESC, "id" DESC)
  WHERE "state" IN ('failed', 'cancelled');
