-- The queue at scale: the claim walks an index in claim order (per assignee: priority desc, oldest first) and
-- stops at the first claimable row, so its cost does not grow with the queue. Indexes are partial where a row
-- spends most of its life outside them, so a write maintains fewer of them (a completed task is in none of the
-- claim indexes; a task without a parent or spawn key is in neither of those).

-- DropIndex
DROP INDEX "tasks_state_assignee_priority_created_at_idx";
DROP INDEX "tasks_state_lease_expires_at_idx";
DROP INDEX "tasks_parent_id_idx";
DROP INDEX "tasks_spawn_key_key";

-- Pending tasks in claim order, per assignee (the untyped claim), and per assignee and type (the typed claim).
CREATE INDEX "tasks_assignee_priority_created_at_id_idx" ON "tasks" ("assignee", "priority" DESC, "created_at", "id")
  WHERE "state" = 'pending';
CREATE INDEX "tasks_assignee_type_priority_created_at_id_idx" ON "tasks" ("assignee", "type", "priority" DESC, "created_at", "id")
  WHERE "state" = 'pending';

-- Leases: the sweep's expired leases and the claim's reclaim branch.
CREATE INDEX "tasks_lease_expires_at_idx" ON "tasks" ("lease_expires_at") WHERE "state" = 'in_progress';

-- Follow-ups of a task; a completion never spawns the same follow-up twice.
CREATE INDEX "tasks_parent_id_idx" ON "tasks" ("parent_id") WHERE "parent_id" IS NOT NULL;
CREATE UNIQUE INDEX "tasks_spawn_key_key" ON "tasks" ("spawn_key") WHERE "spawn_key" IS NOT NULL;

-- Change events without a NOTIFY per change: a NOTIFY takes one database-wide lock at commit, which serialized every
-- claim and completion (each writes an audit event) and halved the queue's rate. Each instance now reads the audit
-- log itself a few times a second (lib/events/bus.ts): rows of transactions below the oldest one still running are
-- final, and rows above it are told apart by their transaction id, so a change whose transaction commits late is
-- never skipped. `horizon` (the oldest running transaction when the row was written) lets a stream resume from any
-- event on any instance. NOTIFY stays only as a wake-up for the rare changes that must spread at once: agents and
-- their tokens (a revocation).
DROP TRIGGER "audit_events_notify" ON "audit_events";
CREATE OR REPLACE FUNCTION audit_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('fed_events', NEW.action);
  RETURN NULL;
END
$$;
CREATE TRIGGER "audit_events_notify" AFTER INSERT ON "audit_events"
  FOR EACH ROW WHEN (NEW.action LIKE 'agent.%' OR NEW.action LIKE 'token.%') EXECUTE FUNCTION audit_events_notify();
ALTER TABLE "audit_events"
  ADD COLUMN "xid" xid8 NOT NULL DEFAULT pg_current_xact_id(),
  ADD COLUMN "horizon" xid8 NOT NULL DEFAULT pg_snapshot_xmin(pg_current_snapshot());
CREATE INDEX "audit_events_xid_id_idx" ON "audit_events" ("xid", "id");
