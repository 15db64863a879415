// Claiming: one statement finds the best claimable task (fallback chains included), locks it with
// FOR UPDATE SKIP LOCKED, takes the lease with a new fencing token, reclaims an expired lease, and logs it.
import { randomBytes } from "node:crypto";
import { poolOf, type Db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { Forbidden, Invalid } from "@/lib/errors";
import { rowToTaskDto, taskRowColumns, type TaskRow } from "./dto";
import { eligibleCtes } from "./eligible";
import type { ClaimInput, ClaimedTaskDto } from "./schema";

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

export async function claimTask(db: Db, actor: Actor, input: ClaimInput): Promise<ClaimedTaskDto | null> {
  const agent = claimingAgent(actor, input.agent);
  if (actor.kind !== "agent" && !(await db.agent.findUnique({ where: { name: agent }, select: { name: true } }))) {
    throw new Invalid(`Unknown agent ${agent}.`, [{ path: "agent", message: `No agent named ${agent}.` }]);
  }
  const types = input.types?.length ? input.types : null;
  const leaseToken = newLeaseToken();
  // A pending task, or one whose lease expired with attempts left (reaped right here, attempts + 1), is
  // claimable when its dependencies are done. Expired leases with no attempts left are failed, with an
  // escalation, by the periodic sweep (lib/queue/lease.ts). The expiry is logged before the new claim.
  const { rows } = await poolOf(db).query<TaskRow>(
    `
    WITH RECURSIVE ${eligibleCtes("$1")},
    candidate AS MATERIALIZED (
      SELECT t.id, t.state AS was, t.claimed_by AS previous FROM tasks t
      WHERE t.assignee IN (SELECT name FROM eligible)
        AND (t.state = 'pending' OR (t.state = 'in_progress' AND t.lease_expires_at < now() AND t.attempts + 1 < t.max_attempts))
        AND ($2::text[] IS NULL OR t.type = ANY($2::text[]))
        AND NOT EXISTS (
          SELECT 1 FROM task_dependencies d JOIN tasks dt ON dt.id = d.depends_on_id
          WHERE d.task_id = t.id AND dt.state <> 'completed')
      ORDER BY t.priority DESC, t.created_at ASC, t.id ASC
      LIMIT 1
      FOR UPDATE OF t SKIP LOCKED
    ), claimed AS (
      UPDATE tasks SET state = 'in_progress', claimed_by = $1, claimed_at = now(), lease_token = $5,
        attempts = tasks.attempts + CASE WHEN candidate.was = 'in_progress' THEN 1 ELSE 0 END,
        lease_expires_at = now() + make_interval(secs => $3), updated_at = now()
      FROM candidate WHERE tasks.id = candidate.id
      RETURNING tasks.*, candidate.was::text AS was, candidate.previous
    ), logged AS (
      INSERT INTO audit_events (actor, action, subject, details)
      SELECT e.actor, e.action, e.subject, e.details FROM (
        SELECT 1 AS ord, 'system' AS actor, 'task.lease_expired' AS action, 'task:' || c.id AS subject,
          jsonb_build_object('agent', c.previous, 'attempts', c.attempts, 'maxAttempts', c.max_attempts) AS details
        FROM claimed c WHERE c.was = 'in_progress'
        UNION ALL
        SELECT 2, $4, 'task.claimed', 'task:' || c.id,
          jsonb_build_object('agent', $1::text, 'leaseSeconds', $3::int, 'attempt', c.attempts + 1)
            || CASE WHEN c.assignee <> $1 THEN jsonb_build_object('fallbackFor', c.assignee) ELSE '{}'::jsonb END
        FROM claimed c
      ) e ORDER BY e.ord
    )
    SELECT ${taskRowColumns("c")} FROM claimed c`,
    [agent, types, input.leaseSeconds, actor.label, leaseToken],
  );
  const row = rows[0];
  return row ? { ...rowToTaskDto(row), leaseToken } : null;
}
