// Leases: heartbeats extend them, release gives the task back, and expired leases are reaped.
import type { Db, Tx } from "@/lib/db/client";
import type { Task } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/actor";
import { recordEvent } from "@/lib/audit/record";
import { openEscalation } from "@/lib/escalations/service";
import { Conflict, Forbidden } from "@/lib/errors";
import { lockTask, taskDto } from "./dto";
import type { TaskDto } from "./schema";

/** Only the agent holding the lease may act on a claimed task. */
export function requireHolder(actor: Actor, task: Task, what: string): string {
  if (actor.kind !== "agent") throw new Forbidden(`Only the agent holding the task may ${what} it.`);
  if (task.claimedBy && task.claimedBy !== actor.agent) throw new Forbidden(`Task ${task.id} is held by ${task.claimedBy}, not ${actor.agent}.`);
  const live = task.state === "in_progress" && task.claimedBy === actor.agent && task.leaseExpiresAt && task.leaseExpiresAt > new Date();
  if (!live) throw new Conflict(`Agent ${actor.agent} no longer holds the lease on ${task.id} (it is ${task.state}).`);
  return actor.agent;
}

export async function heartbeat(db: Db, actor: Actor, id: string, leaseSeconds: number): Promise<{ leaseExpiresAt: string }> {
  return db.$transaction(async (tx) => {
    const task = await lockTask(tx, id);
    requireHolder(actor, task, "heartbeat");
    const updated = await tx.task.update({ where: { id }, data: { leaseExpiresAt: new Date(Date.now() + leaseSeconds * 1000) } });
    return { leaseExpiresAt: updated.leaseExpiresAt!.toISOString() };
  });
}

export async function releaseTask(db: Db, actor: Actor, id: string, reason?: string): Promise<TaskDto> {
  return db.$transaction(async (tx) => {
    const task = await lockTask(tx, id);
    const agent = requireHolder(actor, task, "release");
    const updated = await tx.task.update({ where: { id }, data: { state: "pending", claimedBy: null, claimedAt: null, leaseExpiresAt: null } });
    await recordEvent(tx, { actor, action: "task.released", subject: `task:${id}`, details: { agent, ...(reason ? { reason } : {}) } });
    return taskDto(tx, updated);
  });
}

interface ExpiredRow {
  id: string;
  state: "pending" | "failed";
  attempts: number;
  max_attempts: number;
  holder: string | null;
}

/**
 * Returns tasks whose lease has passed to pending with attempts + 1; at maxAttempts they fail and an
 * escalation opens. Safe to run from any number of instances at once (SKIP LOCKED, one transaction).
 */
export async function reapExpiredLeases(db: Db): Promise<{ requeued: string[]; failed: string[] }> {
  return db.$transaction(async (tx: Tx) => {
    const rows = await tx.$queryRaw<ExpiredRow[]>`
      WITH expired AS (
        SELECT id, claimed_by FROM tasks
        WHERE state = 'in_progress' AND lease_expires_at < now()
        ORDER BY lease_expires_at
        LIMIT 500
        FOR UPDATE SKIP LOCKED
      )
      UPDATE tasks t SET
        attempts = t.attempts + 1,
        state = CASE WHEN t.attempts + 1 >= t.max_attempts THEN 'failed'::"TaskState" ELSE 'pending'::"TaskState" END,
        completed_at = CASE WHEN t.attempts + 1 >= t.max_attempts THEN now() ELSE NULL END,
        claimed_by = NULL, claimed_at = NULL, lease_expires_at = NULL, updated_at = now()
      FROM expired WHERE t.id = expired.id
      RETURNING t.id, t.state::text AS state, t.attempts, t.max_attempts, expired.claimed_by AS holder`;
    const result = { requeued: [] as string[], failed: [] as string[] };
    for (const row of rows) {
      const details = { agent: row.holder, attempts: row.attempts, maxAttempts: row.max_attempts };
      await recordEvent(tx, { actor: "system", action: "task.lease_expired", subject: `task:${row.id}`, details });
      if (row.state === "failed") {
        result.failed.push(row.id);
        await recordEvent(tx, { actor: "system", action: "task.failed", subject: `task:${row.id}`, details: { ...details, reason: "lease expired on the last attempt" } });
        await openEscalation(tx, "system", {
          kind: "task",
          subjectId: row.id,
          reason: `Failed after ${row.attempts} of ${row.max_attempts} attempts: the lease of ${row.holder ?? "its agent"} expired.`,
        });
      } else {
        result.requeued.push(row.id);
      }
    }
    return result;
  });
}
