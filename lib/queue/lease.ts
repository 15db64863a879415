// Leases: heartbeats extend them, release gives the task back, and expired leases are reaped. Every act on
// a claim presents the claim's lease token, so a worker whose claim was lost can no longer act on the task.
import { poolOf, statement, type Db, type Tx } from "@/lib/db/client";
import type { Task } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/actor";
import { BadRequest, Conflict, Forbidden } from "@/lib/errors";
import { ownWordsSql } from "@/lib/routing/model";
import { findTask, rowToTaskDto, taskRowColumns, type TaskRow } from "./dto";
import type { TaskDto } from "./schema";
import { actionSql } from "@/lib/audit/actions";
import { Prisma } from "@/lib/generated/prisma/client";

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

/** Did this agent claim the task once (its lease lapsed, or it was released and claimed again since)? */
export async function heldBefore(db: Db | Tx, taskId: string, agent: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ one: number }[]>`
    SELECT 1 AS one FROM audit_events
    WHERE subject = ${`task:${taskId}`} AND action = ${Prisma.raw(actionSql("task.claimed"))} AND details->>'agent' = ${agent} LIMIT 1`;
  return rows.length > 0;
}

/**
 * A task another agent holds: 409 for a former holder (it lost the lease, as the contract says: stop working on
 * it), 403 for an agent that never held it (it may not act for another agent).
 */
export async function refuseOtherHolder(db: Db | Tx, actor: Actor, task: Task, what: string): Promise<void> {
  if (actor.kind !== "agent" || !task.claimedBy || task.claimedBy === actor.agent) return;
  if (await heldBefore(db, task.id, actor.agent))
    throw new Conflict(
      `Agent ${actor.agent} no longer holds the lease on ${task.id}: it is ${task.state === "in_progress" ? `held by ${task.claimedBy}` : task.state} now. Stop working on it.`,
    );
  throw new Forbidden(`Task ${task.id} is held by ${task.claimedBy}, not ${actor.agent}; you may not ${what} it.`);
}

/** After a conditional update found no row: says why (404, 403 or 409), as requireHolder would. */
async function refuse(db: Db, actor: Actor, id: string, what: string, token: string | undefined): Promise<never> {
  const task = await findTask(db, id);
  await refuseOtherHolder(db, actor, task, what);
  requireHolder(actor, task, what, token);
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
       SELECT $4, ${actionSql("task.released")}, 'task:' || u.id, jsonb_strip_nulls(jsonb_build_object('agent', $2::text, 'reason', $5::text)) FROM upd u
     )
     SELECT ${taskRowColumns("u")} FROM upd u`,
    [claim.id, claim.agent, claim.token, claim.label, claim.reason ?? null],
  );
  return rows[0] ?? null;
}

/**
 * CTEs that charge the agent whose lease expired with what a crash is: a failed outcome (reason "lease expired",
 * held from its claim until now) and a failed training sample — so analytics, the optimizer and the router see an
 * agent that hangs or dies as failing, not as never having tried. `from` is a CTE of the expired tasks (alias
 * `a`) with the task's columns plus `holder` and `held_since`; `endsTask` is SQL saying whether the expiry ended
 * the task's run (it failed for good) rather than putting it back in the queue.
 */
export function chargeHolder(from: string, a: string, where: string, endsTask: string): string {
  return `expired_outcome AS (
       INSERT INTO outcomes (agent, task_type, success, duration_minutes, rework, task_id, description, routed_agent, reason, ends_task)
       SELECT ${a}.holder, ${a}.type, false,
         round((extract(epoch FROM now() - ${a}.held_since) / 60)::numeric, 2)::float8, false, ${a}.id, ${a}.title,
         ${a}.routing->>'agent', 'lease expired', ${endsTask}
       FROM ${from} ${a} WHERE ${where}
     ), expired_sample AS (
       INSERT INTO routing_samples (text, type, agent, success, source, task_id)
       SELECT ${ownWordsSql(a, "hp")}, ${a}.type, ${a}.holder, false, 'task', ${a}.id
       FROM ${from} ${a} LEFT JOIN tasks hp ON hp.id = ${a}.parent_id WHERE ${where}
     )`;
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
       SELECT id, claimed_by, claimed_at FROM tasks
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
       RETURNING t.id, t.state, t.attempts, t.max_attempts, t.type, t.title, t.description, t.metadata, t.rule_id,
         t.parent_id, t.routing, e.claimed_by AS holder, e.claimed_at AS held_since
     ), ${chargeHolder("upd", "u", "u.holder IS NOT NULL", "u.state = 'failed'")}, failed AS MATERIALIZED (
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
         SELECT u.id AS task, 1 AS ord, ${actionSql("task.lease_expired")} AS action, 'task:' || u.id AS subject,
           jsonb_build_object('agent', u.holder, 'attempts', u.attempts, 'maxAttempts', u.max_attempts) AS details
         FROM upd u
         UNION ALL
         SELECT u.id, 2, ${actionSql("task.failed")}, 'task:' || u.id,
           jsonb_build_object('agent', u.holder, 'attempts', u.attempts, 'maxAttempts', u.max_attempts, 'reason', 'lease expired on the last attempt')
         FROM upd u WHERE u.state = 'failed'
         UNION ALL
         SELECT e.subject_id, 3, ${actionSql("escalation.opened")}, 'escalation:' || e.id,
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
