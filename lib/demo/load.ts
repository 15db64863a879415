// Writes a generated history into the database in a few set-based statements (rollups follow by trigger), then
// trains the router on its outcomes.
import { poolOf, type Db } from "@/lib/db/client";
import { addSamplesFromOutcomes, trainPending } from "@/lib/routing/model";
import type { DemoHistory } from "./generate";

export async function loadHistory(db: Db, h: DemoHistory): Promise<void> {
  const pool = poolOf(db);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO tasks (id, title, description, type, priority, state, assignee, claimed_by, source, parent_id, chain_depth, attempts,
         max_attempts, routing, created_by, created_at, updated_at, claimed_at, completed_at, lease_expires_at, lease_token, outcome)
       SELECT x.id, x.title, x.description, x.type, x.priority::"TaskPriority", x.state::"TaskState", x.assignee, x."claimedBy",
         x.source::"TaskSource", x."parentId", x."chainDepth", x.attempts, 3, x.routing,
         CASE WHEN x.source = 'manual' THEN 'admin@federation.local' WHEN x.source = 'auto' THEN 'rule:demo' ELSE 'admin-token' END,
         x."createdAt", coalesce(x."completedAt", x."claimedAt", x."createdAt"), x."claimedAt", x."completedAt", x."leaseExpiresAt",
         CASE WHEN x.state = 'in_progress' THEN 'lease_demo_' || x.id END, x.outcome
       FROM jsonb_to_recordset($1::jsonb) AS x(id text, title text, description text, type text, priority text, state text, assignee text,
         "claimedBy" text, source text, "parentId" text, "chainDepth" int, attempts int, routing jsonb, "createdAt" timestamptz,
         "claimedAt" timestamptz, "completedAt" timestamptz, "leaseExpiresAt" timestamptz, outcome jsonb)`,
      [JSON.stringify(h.tasks)],
    );
    await client.query(
      `INSERT INTO task_dependencies (task_id, depends_on_id)
       SELECT x.id, x."parentId" FROM jsonb_to_recordset($1::jsonb) AS x(id text, "parentId" text) WHERE x."parentId" IS NOT NULL`,
      [JSON.stringify(h.tasks.filter((t) => t.parentId))],
    );
    await client.query(
      // A task's last outcome ended its run, unless the task is running again.
      `INSERT INTO outcomes (agent, task_type, success, duration_minutes, rework, task_id, description, routed_agent, at, ends_task)
       SELECT x.agent, x."taskType", x.success, x."durationMinutes", x.rework, x."taskId", x.description, x."routedAgent", x.at,
         x."taskId" IS NULL OR (
           row_number() OVER (PARTITION BY x."taskId" ORDER BY x.at DESC) = 1
           AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = x."taskId" AND t.state IN ('pending', 'in_progress')))
       FROM jsonb_to_recordset($1::jsonb) AS x(agent text, "taskType" text, success boolean, "durationMinutes" float8, rework boolean,
         "taskId" text, description text, "routedAgent" text, at timestamptz)`,
      [JSON.stringify(h.outcomes)],
    );
    await client.query(
      `INSERT INTO votes (id, question, options, voters, status, result, decided_by, created_by, created_at, updated_at, resolved_at, closes_at)
       SELECT x.id, x.question, x.options, x.voters, x.status::"VoteStatus", x.result, x."decidedBy", 'claude', x."createdAt",
         coalesce(x."resolvedAt", x."createdAt"), x."resolvedAt", x."closesAt"
       FROM jsonb_to_recordset($1::jsonb) AS x(id text, question text, options text[], voters text[], status text, result jsonb,
         "decidedBy" text, "createdAt" timestamptz, "resolvedAt" timestamptz, "closesAt" timestamptz)`,
      [JSON.stringify(h.votes)],
    );
    await client.query(
      `INSERT INTO ballots (vote_id, voter, option, confidence, rationale, at)
       SELECT x."voteId", x.voter, x.option, x.confidence, x.rationale, x.at
       FROM jsonb_to_recordset($1::jsonb) AS x("voteId" text, voter text, option text, confidence float8, rationale text, at timestamptz)`,
      [JSON.stringify(h.votes.flatMap((v) => v.ballots.map((b) => ({ ...b, voteId: v.id }))))],
    );
    await client.query(
      `INSERT INTO escalations (id, kind, subject_id, reason, state, resolution, resolved_by, created_at, resolved_at)
       SELECT x.id, x.kind::"EscalationKind", x."subjectId", x.reason, x.state::"EscalationState", x.resolution, x."resolvedBy", x."createdAt", x."resolvedAt"
       FROM jsonb_to_recordset($1::jsonb) AS x(id text, kind text, "subjectId" text, reason text, state text, resolution jsonb,
         "resolvedBy" text, "createdAt" timestamptz, "resolvedAt" timestamptz)`,
      [JSON.stringify(h.escalations)],
    );
    await client.query(
      `INSERT INTO audit_events (at, actor, action, subject, details)
       SELECT x.at, x.actor, x.action, x.subject, x.details
       FROM jsonb_to_recordset($1::jsonb) AS x(at timestamptz, actor text, action text, subject text, details jsonb)
       ORDER BY x.at`,
      [JSON.stringify(h.events)],
    );
    await client.query(
      `UPDATE agents a SET last_seen_at = x.at FROM jsonb_each_text($1::jsonb) AS e(name, at), LATERAL (SELECT e.at::timestamptz AS at) x
       WHERE a.name = e.name`,
      [JSON.stringify(h.lastSeen)],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
  await addSamplesFromOutcomes(db);
  await trainPending(db);
}
