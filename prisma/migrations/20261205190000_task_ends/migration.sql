-- Routing accuracy is one figure per routed task: did the task end completed by the agent the router chose.
-- `ends_task` marks the outcome that ended a task's run (a success, or a failure no retry follows); the rollups
-- count those per hour, agent, type and routed agent. A person retrying a failed task reopens its run: the
-- outcome that had ended it stops counting as an end (a trigger keeps the rollups in step).

-- AlterTable
ALTER TABLE "outcomes" ADD COLUMN "ends_task" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "outcome_rollups" ADD COLUMN "task_ends" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "task_end_successes" INTEGER NOT NULL DEFAULT 0;

-- Outcomes recorded before: of a task's outcomes, only its last one ended it.
UPDATE outcomes o SET ends_task = false
WHERE o.task_id IS NOT NULL AND EXISTS (SELECT 1 FROM outcomes l WHERE l.task_id = o.task_id AND l.id > o.id);
-- ... unless the task is still running: then none did.
UPDATE outcomes o SET ends_task = false
FROM tasks t WHERE t.id = o.task_id AND o.ends_task AND t.state IN ('pending', 'in_progress');

UPDATE outcome_rollups r SET task_ends = s.ends, task_end_successes = s.end_successes
FROM (
  SELECT date_trunc('hour', at, 'UTC') AS hour, agent, task_type, coalesce(routed_agent, '') AS routed_agent,
         count(*) FILTER (WHERE ends_task) AS ends, count(*) FILTER (WHERE ends_task AND success) AS end_successes
  FROM outcomes GROUP BY 1, 2, 3, 4
) s
WHERE r.hour = s.hour AND r.agent = s.agent AND r.task_type = s.task_type AND r.routed_agent = s.routed_agent;

CREATE OR REPLACE FUNCTION outcomes_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outcome_rollups AS r (hour, agent, task_type, routed_agent, outcomes, successes, reworks, duration_sum, duration_n,
                                    under_5, under_15, under_30, under_60, under_120, over_120, task_ends, task_end_successes)
  SELECT date_trunc('hour', n.at, 'UTC'), n.agent, n.task_type, coalesce(n.routed_agent, ''),
         count(*), count(*) FILTER (WHERE n.success), count(*) FILTER (WHERE n.rework),
         coalesce(sum(n.duration_minutes), 0), count(n.duration_minutes),
         count(*) FILTER (WHERE n.duration_minutes < 5),
         count(*) FILTER (WHERE n.duration_minutes >= 5 AND n.duration_minutes < 15),
         count(*) FILTER (WHERE n.duration_minutes >= 15 AND n.duration_minutes < 30),
         count(*) FILTER (WHERE n.duration_minutes >= 30 AND n.duration_minutes < 60),
         count(*) FILTER (WHERE n.duration_minutes >= 60 AND n.duration_minutes < 120),
         count(*) FILTER (WHERE n.duration_minutes >= 120),
         count(*) FILTER (WHERE n.ends_task), count(*) FILTER (WHERE n.ends_task AND n.success)
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
    over_120 = r.over_120 + EXCLUDED.over_120,
    task_ends = r.task_ends + EXCLUDED.task_ends,
    task_end_successes = r.task_end_successes + EXCLUDED.task_end_successes;
  RETURN NULL;
END
$$;

-- A run reopened (or, in principle, closed) after the fact moves its end in the rollups.
CREATE FUNCTION outcomes_ends_task() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d int := CASE WHEN NEW.ends_task THEN 1 ELSE -1 END;
BEGIN
  UPDATE outcome_rollups SET task_ends = task_ends + d, task_end_successes = task_end_successes + CASE WHEN NEW.success THEN d ELSE 0 END
  WHERE hour = date_trunc('hour', NEW.at, 'UTC') AND agent = NEW.agent AND task_type = NEW.task_type
    AND routed_agent = coalesce(NEW.routed_agent, '');
  RETURN NULL;
END
$$;

CREATE TRIGGER outcomes_ends_task AFTER UPDATE OF ends_task ON outcomes
  FOR EACH ROW WHEN (OLD.ends_task IS DISTINCT FROM NEW.ends_task) EXECUTE FUNCTION outcomes_ends_task();
