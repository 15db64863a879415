// Claiming: one statement finds the best claimable task (fallback chains included), locks it with
// FOR UPDATE SKIP LOCKED, takes the lease, reclaims an expired lease, and writes the audit event.
import { poolOf, type Db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { Forbidden, Invalid } from "@/lib/errors";
import { rowToTaskDto, type TaskRow } from "./dto";
import type { ClaimInput, TaskDto } from "./schema";

/** Which agent the caller claims for: an agent only for itself; an admin must name one. */
export function claimingAgent(actor: Actor, requested?: string): string {
  if (actor.kind === "agent") {
    if (requested && requested !== actor.agent) throw new Forbidden(`Agent ${actor.agent} may not claim for agent ${requested}.`);
    return actor.agent;
  }
  if (actor.role !== "admin") throw new Forbidden("Only agents (or an admin naming one) claim tasks.");
  if (!requested) throw new Invalid("Name the agent to claim for.", [{ path: "agent", message: "Required when an admin claims." }]);
  return requested;
}

export async function claimTask(db: Db, actor: Actor, input: ClaimInput): Promise<TaskDto | null> {
  const agent = claimingAgent(actor, input.agent);
  if (actor.kind !== "agent" && !(await db.agent.findUnique({ where: { name: agent }, select: { name: true } }))) {
    throw new Invalid(`Unknown agent ${agent}.`, [{ path: "agent", message: `No agent named ${agent}.` }]);
  }
  const types = input.types?.length ? input.types : null;
  // `chain` walks each inactive agent's fallbacks through inactive agents only (see lib/agents/fallback.ts,
  // whose claimableAssignees is the same rule in TypeScript). A pending task, or one whose lease expired with
  // attempts left (reaped right here, attempts + 1), is claimable when its dependencies are done. Expired
  // leases with no attempts left are failed, with an escalation, by the periodic sweep (lib/system/sweeps.ts).
  const { rows } = await poolOf(db).query<TaskRow>(
    `
    WITH RECURSIVE chain(origin, cur, depth) AS (
      SELECT a.name, a.fallback, 1 FROM agents a WHERE a.status <> 'active' AND a.fallback IS NOT NULL AND a.name <> $1
      UNION ALL
      SELECT c.origin, n.fallback, c.depth + 1 FROM chain c JOIN agents n ON n.name = c.cur
      WHERE c.cur <> $1 AND n.status <> 'active' AND n.fallback IS NOT NULL AND c.depth < 32
    ), eligible AS (
      SELECT $1::text AS name UNION SELECT origin FROM chain WHERE cur = $1
    ), candidate AS (
      SELECT t.id, t.state AS was FROM tasks t
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
      UPDATE tasks SET state = 'in_progress', claimed_by = $1, claimed_at = now(),
        attempts = tasks.attempts + CASE WHEN candidate.was = 'in_progress' THEN 1 ELSE 0 END,
        lease_expires_at = now() + make_interval(secs => $3), updated_at = now()
      FROM candidate WHERE tasks.id = candidate.id
      RETURNING tasks.*, candidate.was::text AS was
    ), expired_logged AS (
      INSERT INTO audit_events (actor, action, subject, details)
      SELECT 'system', 'task.lease_expired', 'task:' || c.id, jsonb_build_object('attempts', c.attempts, 'maxAttempts', c.max_attempts)
      FROM claimed c WHERE c.was = 'in_progress'
    ), logged AS (
      INSERT INTO audit_events (actor, action, subject, details)
      SELECT $4, 'task.claimed', 'task:' || c.id,
        jsonb_build_object('agent', $1::text, 'leaseSeconds', $3::int, 'attempt', c.attempts + 1)
          || CASE WHEN c.assignee <> $1 THEN jsonb_build_object('fallbackFor', c.assignee) ELSE '{}'::jsonb END
      FROM claimed c
    )
    SELECT c.*, c.priority::text AS priority, c.state::text AS state, c.source::text AS source,
      (SELECT coalesce(array_agg(d.depends_on_id ORDER BY d.depends_on_id), '{}') FROM task_dependencies d WHERE d.task_id = c.id) AS depends_on,
      false AS blocked
    FROM claimed c`,
    [agent, types, input.leaseSeconds, actor.label],
  );
  const row = rows[0];
  return row ? rowToTaskDto(row) : null;
}
