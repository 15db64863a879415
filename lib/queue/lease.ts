// Leases: heartbeats extend them, release gives the task back, and expired leases are reaped. Every act on
// a claim presents the claim's lease token, so a worker whose claim was lost can no longer act on the task.
import { poolOf, statement, type Db } from "@/lib/db/client";
import type { Task } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/actor";
import { BadRequest, Conflict, Forbidden } from "@/lib/errors";
import { findTask, rowToTaskDto, taskRowColumns, type TaskRow } from "./dto";
import type { TaskDto } from "./schema";

/** The lease token a request presents: the body's `leaseToken` or the `X-Lease-Token` header. */
export function leaseTokenFrom(headers: Headers, bodyToken: string | undefined): string | undefined {
  const header = headers.get("x-lease-token")?.trim() || undefined;
  if (header && bodyToken && header !== bodyToken)
    throw new BadRequest("The X-Lease-Token header and the leaseToken field differ; send one of them.");
  return bodyToken ?? header;
}

/** Only the agent holding the lease, presenting the token of its claim, may act on a claimed task. */
export function requireHolder(actor: Actor, task: Task, what: string, token: string | undefined): string {
  if (actor.kind !== "agent") throw new Forbidden(`Only the agent holding the task may ${what} it.`);
  if (task.claimedBy && task.claimedBy !== actor.agent)
    throw new Forbidden(`Task ${task.id} is held by ${task.claimedBy}, not ${actor.agent}.`);
  const live =
    task.state === "in_progress" &&
    task.claimedBy === actor.agent &&
    task.leaseExpiresAt &&
    task.leaseExpiresAt > new Date();
  if (!live) throw new Conflict(`Agent ${actor.agent} no longer holds the lease on ${task.id} (it is ${task.state}).`);
  if (!token)
    throw new Conflict(
      `Present the lease token of your claim on ${task.id}: the X-Lease-Token header or a leaseToken field.`,
    );
  if (token !== task.leaseToken) {
    throw new Conflict(
      `That lease token is not the current one for ${task.id}: the task was claimed again since. Stop working on it.`,
    );
  }
  return actor.agent;
}

/** After a conditional update found no row: says why (404, 403 or 409), as requireHolder would. */
async function refuse(db: Db, actor: Actor, id: string, what: string, token: string | undefined): Promise<never> {
  requireHolder(actor, await findTask(db, id), what, token);
  throw new Conflict(`Task ${id} changed while you acted on it; read it again.`);
}

export async function heartbeat(
  db: Db,
  actor: Actor,
  id: string,
  leaseSeconds: number,
  token: string | undefined,
): Promise<{ leaseExpiresAt: string }> {
  if (actor.kind !== "agent" || !token) return refuse(db, actor, id, "heartbeat", token);
  const { rows } = await poolOf(db).query<{ lease_expires_at: Date }>(
    statement(
      db,
      "fed_heartbeat_v1",
      `UPDATE tasks SET lease_expires_at = now() + make_interval(secs => $4), updated_at = now()
     WHERE id = $1 AND state = 'in_progress' AND claimed_by = $2 AND lease_token = $3 AND lease_expires_at > now()
     RETURNING lease_expires_at`,
      [id, actor.agent, token, leaseSeconds],
    ),
  );
  if (!rows[0]) return refuse(db, actor, id, "heartbeat", token);
  return { leaseExpiresAt: rows[0].lease_expires_at.toISOString() };
}

export async function releaseTask(
  db: Db,
  actor: Actor,
  id: string,
  token: string | undefined,
  reason?: string,
): Promise<TaskDto> {
  if (actor.kind !== "agent" || !token) return refuse(db, actor, id, "release", token);
  const row = await giveBack(db, { id, agent: actor.agent, token, label: actor.label, reason });
  if (!row) return refuse(db, actor, id, "release", token);
  return rowToTaskDto(row);
}

/** A held task back to pending, logged, if `token` is still its lease; null when it is not. */
export async function giveBack(
  db: Db,
  claim: { id: string; agent: string; token: string; label: string; reason?: string },
): Promise<TaskRow | null> {
  const { rows } = await poolOf(db).query<TaskRow>(
    `WITH upd AS (
       UPDATE tasks SET state = 'pending', claimed_by = NULL, claimed_at = NULL, lease_expires_at = NULL, lease_token = NULL, updated_at = now()
       WHERE id = $1 AND state = 'in_progress' AND claimed_by = $2 AND lease_token = $3 AND lease_expires_at > now()
       RETURNING tasks.*
     ), logged AS (
       INSERT INTO audit_events (actor, action, subject, details)
       SELECT $4, 'task.released', 'task:' || u.id, jsonb_strip_nulls(jsonb_build_object('agent', $2::text, 'reason', $5::text)) FROM upd u
     )
     SELECT ${taskRowColumns("u")} FROM upd u`,
    [claim.id, claim.agent, claim.token, claim.label, claim.reason ?? null],
  );
  return rows[0] ?? null;
}

export interface Reaped {
  requeued: string[];
  failed: string[];
}

/**
 * One bounded batch in one statement: tasks whose lease passed go back to pending with attempts + 1; at
 * maxAttempts they fail, each with a task escalation (ids from the shared per-second sequence) and events.
 * SKIP LOCKED keeps concurrent sweeps (any number of instances) on disjoint rows.
 */
async function reapBatch(db: Db, limit: number): Promise<{ id: string; state: string }[]> {
  const { rows } = await poolOf(db).query<{ id: string; state: string }>(
    `WITH expired AS MATERIALIZED (
       SELECT id, claimed_by FROM tasks
       WHERE state = 'in_progress' AND lease_expires_at < now()
       ORDER BY lease_expires_at
       LIMIT $1
       FOR UPDATE SKIP LOCKED
     ), upd AS (
       UPDATE tasks t SET
         attempts = t.attempts + 1,
         state = CASE WHEN t.attempts + 1 >= t.max_attempts THEN 'failed'::"TaskState" ELSE 'pending'::"TaskState" END,
         completed_at = CASE WHEN t.attempts + 1 >= t.max_attempts THEN now() ELSE NULL END,
         claimed_by = NULL, claimed_at = NULL, lease_expires_at = NULL, lease_token = NULL, updated_at = now()
       FROM expired e WHERE t.id = e.id
       RETURNING t.id, t.state, t.attempts, t.max_attempts, e.claimed_by AS holder
     ), failed AS MATERIALIZED (
       SELECT u.*, row_number() OVER (ORDER BY u.id) AS n, count(*) OVER () AS total FROM upd u
       WHERE u.state = 'failed'
         AND NOT EXISTS (SELECT 1 FROM escalations x WHERE x.subject_id = u.id AND x.kind = 'task' AND x.state = 'open')
     ), seq AS (
       INSERT INTO id_sequences (prefix, second, value)
       SELECT 'esc', to_char(now() AT TIME ZONE 'utc', 'YYYYMMDD-HH24MISS'), count(*) FROM failed HAVING count(*) > 0
       ON CONFLICT (prefix, second) DO UPDATE SET value = id_sequences.value + EXCLUDED.value
       RETURNING second, value
     ), esc AS (
       INSERT INTO escalations (id, kind, subject_id, reason)
       SELECT 'esc-' || s.second || '-' || lpad((s.value - f.total + f.n)::text, greatest(4, length((s.value - f.total + f.n)::text)), '0'), 'task'::"EscalationKind", f.id,
         'Failed after ' || f.attempts || ' of ' || f.max_attempts || ' attempts: the lease of ' || coalesce(f.holder, 'its agent') || ' expired.'
       FROM failed f CROSS JOIN seq s
       RETURNING id, subject_id, reason
     ), logged AS (
       INSERT INTO audit_events (actor, action, subject, details)
       SELECT 'system', x.action, x.subject, x.details FROM (
         SELECT u.id AS task, 1 AS ord, 'task.lease_expired' AS action, 'task:' || u.id AS subject,
           jsonb_build_object('agent', u.holder, 'attempts', u.attempts, 'maxAttempts', u.max_attempts) AS details
         FROM upd u
         UNION ALL
         SELECT u.id, 2, 'task.failed', 'task:' || u.id,
           jsonb_build_object('agent', u.holder, 'attempts', u.attempts, 'maxAttempts', u.max_attempts, 'reason', 'lease expired on the last attempt')
         FROM upd u WHERE u.state = 'failed'
         UNION ALL
         SELECT e.subject_id, 3, 'escalation.opened', 'escalation:' || e.id,
           jsonb_build_object('kind', 'task', 'subjectId', e.subject_id, 'reason', e.reason)
         FROM esc e
       ) x ORDER BY x.task, x.ord
     )
     SELECT id, state::text AS state FROM upd`,
    [limit],
  );
  return rows;
}

/**
 * Reaps every expired lease in bounded batches of one statement each (no long transaction), so a backlog of
 * any size makes steady progress. Safe to run from any number of instances at once.
 */
export async function reapExpiredLeases(db: Db, batchSize = 1000): Promise<Reaped> {
  const result: Reaped = { requeued: [], failed: [] };
  for (;;) {
    const rows = await reapBatch(db, batchSize);
    for (const r of rows) (r.state === "failed" ? result.failed : result.requeued).push(r.id);
    if (rows.length < batchSize) return result;
  }
}
