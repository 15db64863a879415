// Claiming: one prepared statement finds the best claimable task (fallback chains included) by walking an index
// in claim order, locks it with FOR UPDATE SKIP LOCKED, takes the lease with a new fencing token, reclaims an
// expired lease, and logs it. With `waitSeconds` the call waits (long poll) until something becomes claimable.
import { createHash, createHmac, randomBytes } from "node:crypto";
import type pg from "pg";
import { poolOf, statement, type Db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { changes, type ChangeEvent } from "@/lib/events/bus";
import { Forbidden, Invalid } from "@/lib/errors";
import { rowToTaskDto, taskRowColumns, type TaskRow } from "./dto";
import { eligibleCtes } from "./eligible";
import { chargeHolder, giveBack } from "./lease";
import type { ClaimInput, ClaimedTaskDto } from "./schema";
import { actionSql, inDomain } from "@/lib/audit/actions";

/** Which agent the caller claims for: an agent only for itself; an admin must name one. */
export function claimingAgent(actor: Actor, requested?: string): string {
  if (actor.kind === "agent") {
    if (requested && requested !== actor.agent)
      throw new Forbidden(`Agent ${actor.agent} may not claim for agent ${requested}.`);
    return actor.agent;
  }
  if (actor.role !== "admin") throw new Forbidden("Only agents (or an admin naming one) claim tasks.");
  if (!requested)
    throw new Invalid("Name the agent to claim for.", [{ path: "agent", message: "Required when an admin claims." }]);
  return requested;
}

/** An unguessable token for one claim; heartbeat, release and complete must present it. */
export function newLeaseToken(): string {
  return `lease_${randomBytes(24).toString("base64url")}`;
}

/**
 * The token of the claim a completion's claimNext takes: derived from the completing claim's token, so every try of
 * that completion claims under the same token, one at a time — a retry finds the task its lost first try took
 * instead of leaving it leased to nobody. Unguessable to anyone who does not hold the completing token.
 */
export function nextLeaseToken(completing: string): string {
  return `lease_${createHmac("sha256", completing).update("claimNext").digest("base64url").slice(0, 32)}`;
}

const NOT_BLOCKED = `NOT EXISTS (SELECT 1 FROM task_dependencies d JOIN tasks dt ON dt.id = d.depends_on_id
                    WHERE d.task_id = t.id AND dt.state <> 'completed')`;
const CLAIM_ORDER = "ORDER BY t.priority DESC, t.created_at, t.id LIMIT 1 FOR UPDATE OF t SKIP LOCKED";

/**
 * The claim. For each eligible assignee (the caller, and agents that are away whose fallback chain leads to it),
 * two index probes: the first claimable pending task in claim order (on the partial index of pending tasks by
 * assignee[, type], priority desc, created_at, id), and the first in-progress task whose lease has expired with
 * attempts left (on the partial index of leases). The best of those few is taken. Neither branch's cost grows
 * with the number of pending tasks. `typed` claims probe once per requested type.
 */
function claimSql(typed: boolean): string {
  const pendingFrom = `${typed ? "CROSS JOIN unnest($2::text[]) ty(type)" : ""}
       LEFT JOIN LATERAL (SELECT t.id, t.state AS was, t.claimed_by AS previous, NULL::timestamptz AS held_since, t.priority, t.created_at FROM tasks t
         WHERE t.assignee = e.name AND t.state = 'pending' ${typed ? "AND t.type = ty.type" : ""} AND ${NOT_BLOCKED}
         ${CLAIM_ORDER}) p ON true`;
  return `
    WITH RECURSIVE ${eligibleCtes("$1")},
    candidate AS MATERIALIZED (
      SELECT c.id, c.was, c.previous, c.held_since FROM eligible e
      ${pendingFrom}
      LEFT JOIN LATERAL (SELECT t.id, t.state AS was, t.claimed_by AS previous, t.claimed_at AS held_since, t.priority, t.created_at FROM tasks t
        WHERE t.assignee = e.name AND t.state = 'in_progress' AND t.lease_expires_at < now()
          AND t.attempts + 1 < t.max_attempts ${typed ? "AND t.type = ANY($2::text[])" : ""} AND ${NOT_BLOCKED}
        ${CLAIM_ORDER}) r ON true
      CROSS JOIN LATERAL (VALUES (p.id, p.was, p.previous, p.held_since, p.priority, p.created_at),
                                 (r.id, r.was, r.previous, r.held_since, r.priority, r.created_at)) c(id, was, previous, held_since, priority, created_at)
      WHERE c.id IS NOT NULL ${typed ? "" : "AND $2::text[] IS NULL"}
      ORDER BY c.priority DESC, c.created_at, c.id
      LIMIT 1
    ), claimed AS (
      UPDATE tasks SET state = 'in_progress', claimed_by = $1, claimed_at = now(), lease_token = $5,
        attempts = tasks.attempts + CASE WHEN candidate.was = 'in_progress' THEN 1 ELSE 0 END,
        lease_expires_at = now() + make_interval(secs => $3), updated_at = now()
      FROM candidate WHERE tasks.id = candidate.id
      RETURNING tasks.*, candidate.was::text AS was, candidate.previous, candidate.previous AS holder, candidate.held_since
    ), ${chargeHolder("claimed", "x", "x.was = 'in_progress' AND x.holder IS NOT NULL", "false")}, logged AS (
      INSERT INTO audit_events (actor, action, subject, details)
      SELECT e.actor, e.action, e.subject, e.details FROM (
        SELECT 1 AS ord, 'system' AS actor, ${actionSql("task.lease_expired")} AS action, 'task:' || c.id AS subject,
          jsonb_build_object('agent', c.previous, 'attempts', c.attempts, 'maxAttempts', c.max_attempts) AS details
        FROM claimed c WHERE c.was = 'in_progress'
        UNION ALL
        SELECT 2, $4, ${actionSql("task.claimed")}, 'task:' || c.id,
          jsonb_build_object('agent', $1::text, 'leaseSeconds', $3::int, 'attempt', c.attempts + 1)
            || CASE WHEN c.assignee <> $1 THEN jsonb_build_object('fallbackFor', c.assignee) ELSE '{}'::jsonb END
        FROM claimed c
      ) e ORDER BY e.ord
    )
    SELECT ${taskRowColumns("c")} FROM claimed c`;
}

/** The claim statements, untyped and typed (exported for the test that checks their plans). */
export const CLAIM = { untyped: claimSql(false), typed: claimSql(true) };

const HELD_WITH = `SELECT ${taskRowColumns("t")} FROM tasks t WHERE t.lease_token = $1 AND t.state = 'in_progress'`;

/** One attempt: the claimed task, or null when nothing is claimable right now. */
async function claimOnce(
  db: Db,
  agent: string,
  types: string[] | null,
  leaseSeconds: number,
  label: string,
): Promise<ClaimedTaskDto | null> {
  return claimWith(poolOf(db), db, agent, types, leaseSeconds, label, newLeaseToken());
}

async function claimWith(
  runner: pg.Pool | pg.PoolClient,
  db: Db,
  agent: string,
  types: string[] | null,
  leaseSeconds: number,
  label: string,
  leaseToken: string,
): Promise<ClaimedTaskDto | null> {
  // A named statement: each pooled connection plans it once and reuses the plan.
  const { rows } = await runner.query<TaskRow>(
    statement(db, types ? "fed_claim_typed_v1" : "fed_claim_v1", types ? CLAIM.typed : CLAIM.untyped, [
      agent,
      types,
      leaseSeconds,
      label,
      leaseToken,
    ]),
  );
  const row = rows[0];
  return row ? { ...rowToTaskDto(row), leaseToken } : null;
}

/** The task a completion's claimNext claims for, and under which token. */
export interface NextClaim {
  /** The task being completed: the claim is recorded on it, so a repeat of the call answers the same. */
  completedId: string;
  /** The completing claim's lease token: the next claim's derives from it. */
  completingToken: string;
  /** A repeat of the call: look for the task an earlier try took before claiming. */
  repeat: boolean;
}

/** The advisory-lock key of a lease token: tries of one claimNext take turns on it. */
const lockKey = (token: string) => createHash("sha256").update(token).digest().readBigInt64BE(0).toString();

const RECORD_NEXT = (client: pg.PoolClient, next: ClaimedTaskDto, completedId: string) =>
  `UPDATE tasks SET last_completion = last_completion || jsonb_build_object('next', jsonb_build_object('id', ${client.escapeLiteral(next.id)}::text, 'leaseToken', ${client.escapeLiteral(next.leaseToken)}::text))
   WHERE id = ${client.escapeLiteral(completedId)}; COMMIT`;

/**
 * claimNext's claim: under a token derived from the completing claim's, the tries of one call taking turns (a
 * transaction-scoped advisory lock on it), and recorded on the completed task in the same transaction. A repeat
 * looks first for the task an earlier try took (it died before recording it, or is recording it now: the lock
 * waits for it); a first try that finds the token already taken (the unique index on live tokens says so) answers
 * that task. So however many tries of one claimNext run, at once or after one died, one task is claimed and every
 * try answers it — where a retry used to claim nothing while the lost try's task stayed leased to nobody.
 */
export async function claimNextAfter(
  db: Db,
  actor: Actor,
  input: Pick<ClaimInput, "types" | "leaseSeconds" | "agent">,
  after: NextClaim,
): Promise<ClaimedTaskDto | null> {
  const agent = claimingAgent(actor, input.agent);
  const types = input.types?.length ? [...new Set(input.types)] : null;
  const token = nextLeaseToken(after.completingToken);
  const pool = poolOf(db);
  const client = await pool.connect();
  let taken = false;
  try {
    await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${lockKey(token)})`);
    const held = after.repeat ? (await client.query<TaskRow>(HELD_WITH, [token])).rows[0] : undefined;
    const next = held
      ? { ...rowToTaskDto(held), leaseToken: token }
      : await claimWith(client, db, agent, types, input.leaseSeconds, actor.label, token);
    await client.query(next ? RECORD_NEXT(client, next, after.completedId) : "COMMIT");
    return next;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    const e = error as { code?: string; constraint?: string };
    taken = e.code === "23505" && e.constraint === "tasks_lease_token_key";
    if (!taken) throw error;
  } finally {
    client.release();
  }
  // Another try of the same call holds the token (and recorded it): its task is the answer.
  const { rows } = await pool.query<TaskRow>(HELD_WITH, [token]);
  return rows[0] ? { ...rowToTaskDto(rows[0]), leaseToken: token } : null;
}

/** Events after which something may have become claimable: a task created, released, finished (unblocking
 * dependents), reassigned or retried; an agent's status changed (fallback chains). */
const mayFreeWork = (e: ChangeEvent) =>
  (inDomain(e.type, "task") && e.type !== "task.log") || inDomain(e.type, "agent");
/** Expired leases announce nothing: the long poll also looks again this often. */
const LONG_POLL_BACKSTOP_MS = 2_000;

export async function claimTask(
  db: Db,
  actor: Actor,
  input: ClaimInput,
  signal?: AbortSignal,
): Promise<ClaimedTaskDto | null> {
  const agent = claimingAgent(actor, input.agent);
  if (actor.kind !== "agent" && !(await db.agent.findUnique({ where: { name: agent }, select: { name: true } }))) {
    throw new Invalid(`Unknown agent ${agent}.`, [{ path: "agent", message: `No agent named ${agent}.` }]);
  }
  const types = input.types?.length ? [...new Set(input.types)] : null;
  const wait = (input.waitSeconds ?? 0) * 1000;
  const once = () => claimOnce(db, agent, types, input.leaseSeconds, actor.label);
  if (wait <= 0) return once();

  // Long poll: listen first, then try, so a task created between a failed try and the wait is not missed.
  const bus = changes();
  await bus.start();
  const deadline = Date.now() + wait;
  let woken = false;
  let wake: () => void = () => {};
  const onEvent = (e: ChangeEvent) => {
    if (!mayFreeWork(e)) return;
    woken = true;
    wake();
  };
  const onAbort = () => wake();
  bus.on("event", onEvent);
  signal?.addEventListener("abort", onAbort);
  try {
    for (;;) {
      woken = false;
      const task = await once();
      if (task || signal?.aborted) {
        // The caller has gone: give the task straight back rather than leave it leased to nobody.
        if (task && signal?.aborted) {
          const reason = "the waiting claimer went away";
          await giveBack(db, { id: task.id, agent, token: task.leaseToken, label: actor.label, reason });
          return null;
        }
        return task;
      }
      const left = deadline - Date.now();
      if (left <= 0) return null;
      if (woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, bus.connected ? LONG_POLL_BACKSTOP_MS : 250));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = () => {};
    }
  } finally {
    bus.off("event", onEvent);
    signal?.removeEventListener("abort", onAbort);
  }
}
