// Claiming: one short statement takes the best claimable task with FOR UPDATE SKIP LOCKED and logs it.
import type { Db } from "@/lib/db/client";
import type { Task } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/actor";
import { claimableAssignees } from "@/lib/agents/fallback";
import { Forbidden, Invalid } from "@/lib/errors";
import { reapIfExpired } from "./lease";
import { taskDto } from "./dto";
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

type ClaimedRow = Task & { via: string | null };

export async function claimTask(db: Db, actor: Actor, input: ClaimInput): Promise<TaskDto | null> {
  const agent = claimingAgent(actor, input.agent);
  await reapIfExpired(db);
  const agents = await db.agent.findMany({ select: { name: true, status: true, fallbackName: true } });
  if (!agents.some((a) => a.name === agent)) throw new Invalid(`Unknown agent ${agent}.`, [{ path: "agent", message: `No agent named ${agent}.` }]);
  const assignees = claimableAssignees(agents, agent);
  const types = input.types?.length ? input.types : null;
  const label = actor.label;

  // One statement: pick (priority, then age), lock with SKIP LOCKED, take the lease, write the audit event.
  const rows = await db.$queryRaw<ClaimedRow[]>`
    WITH candidate AS (
      SELECT t.id FROM tasks t
      WHERE t.state = 'pending'
        AND t.assignee = ANY(${assignees}::text[])
        AND (${types}::text[] IS NULL OR t.type = ANY(${types}::text[]))
        AND NOT EXISTS (
          SELECT 1 FROM task_dependencies d JOIN tasks dt ON dt.id = d.depends_on_id
          WHERE d.task_id = t.id AND dt.state <> 'completed')
      ORDER BY t.priority DESC, t.created_at ASC, t.id ASC
      LIMIT 1
      FOR UPDATE OF t SKIP LOCKED
    ), claimed AS (
      UPDATE tasks SET state = 'in_progress', claimed_by = ${agent}, claimed_at = now(),
        lease_expires_at = now() + make_interval(secs => ${input.leaseSeconds}), updated_at = now()
      FROM candidate WHERE tasks.id = candidate.id
      RETURNING tasks.*
    ), logged AS (
      INSERT INTO audit_events (actor, action, subject, details)
      SELECT ${label}, 'task.claimed', 'task:' || c.id,
        jsonb_build_object('agent', ${agent}::text, 'leaseSeconds', ${input.leaseSeconds}::int, 'attempt', c.attempts + 1)
          || CASE WHEN c.assignee <> ${agent} THEN jsonb_build_object('fallbackFor', c.assignee) ELSE '{}'::jsonb END
      FROM claimed c
    )
    SELECT id, title, description, type, priority::text AS priority, state::text AS state, assignee,
      created_by AS "createdBy", source::text AS source, parent_id AS "parentId", rule_id AS "ruleId",
      chain_depth AS "chainDepth", attempts, max_attempts AS "maxAttempts", lease_expires_at AS "leaseExpiresAt",
      claimed_by AS "claimedBy", claimed_at AS "claimedAt", outcome, last_completion AS "lastCompletion", routing, metadata,
      created_at AS "createdAt", updated_at AS "updatedAt", completed_at AS "completedAt", NULL AS via
    FROM claimed`;
  const row = rows[0];
  if (!row) return null;
  return taskDto(db, row);
}
