// What people do to tasks: cancel, retry a failed task, reassign, add dependencies (with a cycle check).
// Each verb has a body that takes an open transaction (so an escalation decision can lock and act in one)
// and a thin shell that opens one.
import type { Db, Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/actor";
import { requireAdmin } from "@/lib/auth/policy";
import { recordEvent } from "@/lib/audit/record";
import { resolveEscalationsFor } from "@/lib/escalations/service";
import { Conflict, Forbidden, Invalid } from "@/lib/errors";
import { raiseDependencies } from "./create-task";
import { lockTask, taskDto } from "./dto";
import type { TaskDto } from "./schema";

/** The fields that end whatever claim a task had. */
const NO_CLAIM = { claimedBy: null, claimedAt: null, leaseExpiresAt: null, leaseToken: null } as const;

/**
 * A failed task put back in the queue by a person: the outcome that ended its run no longer does, so routing
 * accuracy counts the task once, by how its new run ends.
 */
async function reopenRun(tx: Tx, id: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE outcomes SET ends_task = false
    WHERE id = (SELECT id FROM outcomes WHERE task_id = ${id} AND ends_task ORDER BY id DESC LIMIT 1)`;
}

/** `bulk`: the bulk action this is part of (its event names it; the handoff KPI counts the bulk act once). */
export async function cancelTaskIn(tx: Tx, actor: Actor, id: string, reason?: string, bulk?: string): Promise<TaskDto> {
  const task = await lockTask(tx, id);
  if (actor.role !== "admin" && task.createdBy !== actor.label)
    throw new Forbidden(`Only an admin or ${task.createdBy}, who created it, may cancel ${id}.`);
  if (task.state === "cancelled") return taskDto(tx, task);
  if (task.state === "completed" || task.state === "failed") throw new Conflict(`Task ${id} is already ${task.state}.`);
  const updated = await tx.task.update({
    where: { id },
    data: { state: "cancelled", ...NO_CLAIM, completedAt: new Date() },
  });
  await recordEvent(tx, {
    actor,
    action: "task.cancelled",
    subject: `task:${id}`,
    details: { from: task.state, ...(reason ? { reason } : {}), ...(bulk ? { bulk } : {}) },
  });
  await resolveEscalationsFor(tx, actor, id, { action: "cancel", ...(reason ? { note: reason } : {}) });
  return taskDto(tx, updated);
}

export async function retryTaskIn(tx: Tx, actor: Actor, id: string, note?: string, bulk?: string): Promise<TaskDto> {
  requireAdmin(actor, "retry tasks");
  const task = await lockTask(tx, id);
  if (task.state !== "failed" && task.state !== "cancelled")
    throw new Conflict(`Only failed or cancelled tasks can be retried; ${id} is ${task.state}.`);
  const updated = await tx.task.update({
    where: { id },
    data: { state: "pending", attempts: 0, ...NO_CLAIM, completedAt: null, lastCompletion: Prisma.DbNull },
  });
  if (task.state === "failed") await reopenRun(tx, id);
  await recordEvent(tx, {
    actor,
    action: "task.retried",
    subject: `task:${id}`,
    details: { from: task.state, ...(note ? { note } : {}), ...(bulk ? { bulk } : {}) },
  });
  await resolveEscalationsFor(tx, actor, id, { action: "retry", ...(note ? { note } : {}) });
  return taskDto(tx, updated);
}

export async function reassignTaskIn(
  tx: Tx,
  actor: Actor,
  id: string,
  assignee: string,
  note?: string,
  bulk?: string,
): Promise<TaskDto> {
  requireAdmin(actor, "reassign tasks");
  const task = await lockTask(tx, id);
  if (task.state !== "pending" && task.state !== "failed")
    throw new Conflict(`Only pending or failed tasks can be reassigned; ${id} is ${task.state}.`);
  if (!(await tx.agent.findUnique({ where: { name: assignee }, select: { name: true } }))) {
    throw new Invalid(`Unknown agent ${assignee}.`, [{ path: "assignee", message: `No agent named ${assignee}.` }]);
  }
  const updated = await tx.task.update({
    where: { id },
    data: {
      assignee,
      ...(task.state === "failed"
        ? { state: "pending", attempts: 0, completedAt: null, ...NO_CLAIM, lastCompletion: Prisma.DbNull }
        : {}),
    },
  });
  if (task.state === "failed") await reopenRun(tx, id);
  const settled = await resolveEscalationsFor(tx, actor, id, {
    action: "reassign",
    assignee,
    ...(note ? { note } : {}),
  });
  // A reassignment that settles an escalation names it: the handoff KPI counts the escalation, not both.
  await recordEvent(tx, {
    actor,
    action: "task.reassigned",
    subject: `task:${id}`,
    details: {
      from: task.assignee,
      to: assignee,
      ...(note ? { note } : {}),
      ...(settled.length ? { escalation: settled[0]! } : {}),
      ...(bulk ? { bulk } : {}),
    },
  });
  return taskDto(tx, updated);
}

export const cancelTask = (db: Db, actor: Actor, id: string, reason?: string) =>
  db.$transaction((tx) => cancelTaskIn(tx, actor, id, reason));
export const retryTask = (db: Db, actor: Actor, id: string, note?: string) =>
  db.$transaction((tx) => retryTaskIn(tx, actor, id, note));
export const reassignTask = (db: Db, actor: Actor, id: string, assignee: string, note?: string) =>
  db.$transaction((tx) => reassignTaskIn(tx, actor, id, assignee, note));

/** True when `from` already (transitively) depends on `to`. */
async function dependsTransitively(tx: Tx, from: string, to: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ one: number }[]>`
    WITH RECURSIVE up(id) AS (
      SELECT depends_on_id FROM task_dependencies WHERE task_id = ${from}
      UNION
      SELECT d.depends_on_id FROM task_dependencies d JOIN up ON d.task_id = up.id
    )
    SELECT 1 AS one FROM up WHERE id = ${to} LIMIT 1`;
  return rows.length > 0;
}

/** Serialises changes to existing tasks' dependencies: two edges that close a cycle together cannot both pass the check. */
const DEPENDENCY_GRAPH_LOCK = 72707371;

export async function addDependencies(db: Db, actor: Actor, id: string, dependsOn: string[]): Promise<TaskDto> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${DEPENDENCY_GRAPH_LOCK})`;
    const task = await lockTask(tx, id);
    if (actor.role !== "admin" && task.createdBy !== actor.label)
      throw new Forbidden(`Only an admin or ${task.createdBy} may change the dependencies of ${id}.`);
    if (task.state !== "pending")
      throw new Conflict(`Dependencies can be added only to pending tasks; ${id} is ${task.state}.`);
    const wanted = [...new Set(dependsOn)];
    const found = new Set(
      (await tx.task.findMany({ where: { id: { in: wanted } }, select: { id: true } })).map((t) => t.id),
    );
    const errors = wanted.filter((d) => !found.has(d)).map((d) => ({ path: "dependsOn", message: `No task ${d}.` }));
    if (errors.length) throw new Invalid("Unknown dependency.", errors);
    for (const dep of wanted) {
      if (dep === id || (await dependsTransitively(tx, dep, id))) {
        throw new Invalid(`Depending on ${dep} would make a cycle: ${dep} already depends on ${id}.`, [
          { path: "dependsOn", message: `${dep} → … → ${id} → ${dep} is a cycle.` },
        ]);
      }
    }
    await tx.taskDependency.createMany({
      data: wanted.map((d) => ({ taskId: id, dependsOnId: d })),
      skipDuplicates: true,
    });
    await raiseDependencies(tx, actor, id, task.priority);
    await recordEvent(tx, {
      actor,
      action: "task.dependencies_added",
      subject: `task:${id}`,
      details: { dependsOn: wanted },
    });
    return taskDto(tx, task);
  });
}
