-- AlterTable
ALTER TABLE "outcomes" ADD COLUMN "routed_agent" TEXT;

-- DropIndex
DROP INDEX "outcomes_agent_task_type_idx";

-- DropIndex
DROP INDEX "outcomes_task_type_idx";

-- CreateIndex
CREATE INDEX "outcomes_agent_at_idx" ON "outcomes"("agent", "at");

-- CreateIndex
CREATE INDEX "outcomes_task_id_idx" ON "outcomes"("task_id");

-- CreateIndex
CREATE INDEX "escalations_created_at_idx" ON "escalations"("created_at");

-- CreateIndex
CREATE INDEX "audit_events_action_at_idx" ON "audit_events"("action", "at");

-- CreateTable
CREATE TABLE "outcome_rollups" (
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "agent" TEXT NOT NULL,
    "task_type" TEXT NOT NULL,
    "routed_agent" TEXT NOT NULL DEFAULT '',
    "outcomes" INTEGER NOT NULL DEFAULT 0,
    "successes" INTEGER NOT NULL DEFAULT 0,
    "reworks" INTEGER NOT NULL DEFAULT 0,
    "duration_sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "duration_n" INTEGER NOT NULL DEFAULT 0,
    "under_5" INTEGER NOT NULL DEFAULT 0,
    "under_15" INTEGER NOT NULL DEFAULT 0,
    "under_30" INTEGER NOT NULL DEFAULT 0,
    "under_60" INTEGER NOT NULL DEFAULT 0,
    "under_120" INTEGER NOT NULL DEFAULT 0,
    "over_120" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "outcome_rollups_pkey" PRIMARY KEY ("hour","agent","task_type","routed_agent")
);

-- CreateIndex
CREATE INDEX "outcome_rollups_task_type_hour_idx" ON "outcome_rollups"("task_type", "hour");

-- CreateTable
CREATE TABLE "optimizer_changes" (
    "id" TEXT NOT NULL,
    "applied_by" TEXT NOT NULL,
    "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "suggestions" JSONB NOT NULL,
    "changes" JSONB NOT NULL,
    "undone_by" TEXT,
    "undone_at" TIMESTAMPTZ(3),

    CONSTRAINT "optimizer_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "optimizer_changes_applied_at_idx" ON "optimizer_changes"("applied_at" DESC);

-- Rollups follow outcomes in the same transaction: one upsert per inserting statement.
CREATE FUNCTION outcomes_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outcome_rollups AS r (hour, agent, task_type, routed_agent, outcomes, successes, reworks, duration_sum, duration_n,
                                    under_5, under_15, under_30, under_60, under_120, over_120)
  SELECT date_trunc('hour', n.at, 'UTC'), n.agent, n.task_type, coalesce(n.routed_agent, ''),
         count(*), count(*) FILTER (WHERE n.success), count(*) FILTER (WHERE n.rework),
         coalesce(sum(n.duration_minutes), 0), count(n.duration_minutes),
         count(*) FILTER (WHERE n.duration_minutes < 5),
         count(*) FILTER (WHERE n.duration_minutes >= 5 AND n.duration_minutes < 15),
         count(*) FILTER (WHERE n.duration_minutes >= 15 AND n.duration_minutes < 30),
         count(*) FILTER (WHERE n.duration_minutes >= 30 AND n.duration_minutes < 60),
         count(*) FILTER (WHERE n.duration_minutes >= 60 AND n.duration_minutes < 120),
         count(*) FILTER (WHERE n.duration_minutes >= 120)
  FROM new_rows n
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (hour, agent, task_type, routed_agent) DO UPDATE SET
    outcomes = r.outcomes + EXCLUDED.outcomes,
    successes = r.successes + EXCLUDED.successes,
    reworks = r.reworks + EXCLUDED.reworks,
    duration_sum = r.duration_sum + EXCLUDED.duration_sum,
    duration_n = r.duration_n + EXCLUDED.duration_n,
    under_5 = r.under_5 + EXCLUDED.under_5,
    under_15 = r.under_15 + EXCLUDED.under_15,
    under_30 = r.under_30 + EXCLUDED.under_30,
    under_60 = r.under_60 + EXCLUDED.under_60,
    under_120 = r.under_120 + EXCLUDED.under_120,
    over_120 = r.over_120 + EXCLUDED.over_120;
  RETURN NULL;
END
$$;

-- Outcomes recorded before this migration.
INSERT INTO outcome_rollups (hour, agent, task_type, routed_agent, outcomes, successes, reworks, duration_sum, duration_n,
                             under_5, under_15, under_30, under_60, under_120, over_120)
SELECT date_trunc('hour', o.at, 'UTC'), o.agent, o.task_type, '', count(*), count(*) FILTER (WHERE o.success),
       count(*) FILTER (WHERE o.rework), coalesce(sum(o.duration_minutes), 0), count(o.duration_minutes),
       count(*) FILTER (WHERE o.duration_minutes < 5),
       count(*) FILTER (WHERE o.duration_minutes >= 5 AND o.duration_minutes < 15),
       count(*) FILTER (WHERE o.duration_minutes >= 15 AND o.duration_minutes < 30),
       count(*) FILTER (WHERE o.duration_minutes >= 30 AND o.duration_minutes < 60),
       count(*) FILTER (WHERE o.duration_minutes >= 60 AND o.duration_minutes < 120),
       count(*) FILTER (WHERE o.duration_minutes >= 120)
FROM outcomes o GROUP BY 1, 2, 3;

CREATE TRIGGER outcomes_rollup AFTER INSERT ON outcomes
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION outcomes_rollup();
