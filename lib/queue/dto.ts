// Task rows to the API's Task shape, with dependencies and whether they block.
import type { Tx } from "@/lib/db/client";
import type { Task } from "@/lib/generated/prisma/client";
import { NotFound } from "@/lib/errors";
import type { TaskDto } from "./schema";

interface DependencyInfo {
  dependsOn: string[];
  blocked: boolean;
}

export function toTaskDto(t: Task, deps: DependencyInfo = { dependsOn: [], blocked: false }): TaskDto {
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    type: t.type,
    priority: t.priority,
    state: t.state,
    assignee: t.assignee,
    createdBy: t.createdBy,
    source: t.source,
    parentId: t.parentId,
    ruleId: t.ruleId,
    chainDepth: t.chainDepth,
    dependsOn: deps.dependsOn,
    blocked: deps.blocked,
    attempts: t.attempts,
    maxAttempts: t.maxAttempts,
    leaseExpiresAt: t.leaseExpiresAt?.toISOString() ?? null,
    claimedBy: t.claimedBy,
    claimedAt: t.claimedAt?.toISOString() ?? null,
    outcome: (t.outcome as Record<string, unknown> | null) ?? null,
    routing: (t.routing as Record<string, unknown> | null) ?? null,
    metadata: (t.metadata as Record<string, unknown>) ?? {},
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    completedAt: t.completedAt?.toISOString() ?? null,
  };
}

/** Every column rowToTaskDto reads, by name: not `*`, so the search vector never travels with a task. */
const TASK_COLUMNS = [
  "id",
  "title",
  "description",
  "type",
  "assignee",
  "created_by",
  "parent_id",
  "rule_id",
  "chain_depth",
  "attempts",
  "max_attempts",
  "lease_expires_at",
  "claimed_by",
  "claimed_at",
  "lease_token",
  "outcome",
  "last_completion",
  "routing",
  "metadata",
  "created_at",
  "updated_at",
  "completed_at",
];

/**
 * The select list that turns a `tasks` row (alias `a`) into a TaskRow for rowToTaskDto: the one column list
 * the raw-SQL paths (claim, fast completion, release) share with each other.
 */
export function taskRowColumns(a: string): string {
  const columns = TASK_COLUMNS.map((c) => `${a}.${c}`).join(", ");
  return `${columns}, ${a}.priority::text AS priority, ${a}.state::text AS state, ${a}.source::text AS source,
      (SELECT coalesce(array_agg(d.depends_on_id ORDER BY d.depends_on_id), '{}') FROM task_dependencies d WHERE d.task_id = ${a}.id) AS depends_on,
      EXISTS (SELECT 1 FROM task_dependencies d JOIN tasks dt ON dt.id = d.depends_on_id WHERE d.task_id = ${a}.id AND dt.state <> 'completed') AS blocked`;
}

/** A `tasks` row as raw SQL returns it (snake_case), plus `depends_on` and `blocked` when selected. */
export type TaskRow = Record<string, unknown> & { depends_on?: string[] | null; blocked?: boolean | null };

export function rowToTaskDto(r: TaskRow): TaskDto {
  const task = {
    id: r.id,
    title: r.title,
    description: r.description,
    type: r.type,
    priority: r.priority,
    state: r.state,
    assignee: r.assignee,
    createdBy: r.created_by,
    source: r.source,
    parentId: r.parent_id,
    ruleId: r.rule_id,
    chainDepth: r.chain_depth,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    leaseExpiresAt: r.lease_expires_at,
    claimedBy: r.claimed_by,
    claimedAt: r.claimed_at,
    outcome: r.outcome,
    lastCompletion: r.last_completion,
    routing: r.routing,
    metadata: r.metadata,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    completedAt: r.completed_at,
  } as Task;
  return toTaskDto(task, { dependsOn: r.depends_on ?? [], blocked: Boolean(r.blocked) });
}

/** Loads dependencies for many tasks in one query. */
export async function withDependencies(db: Tx, tasks: Task[]): Promise<TaskDto[]> {
  if (!tasks.length) return [];
  const rows = await db.taskDependency.findMany({
    where: { taskId: { in: tasks.map((t) => t.id) } },
    select: { taskId: true, dependsOnId: true, dependsOn: { select: { state: true } } },
    orderBy: { dependsOnId: "asc" },
  });
  const byTask = new Map<string, DependencyInfo>();
  for (const r of rows) {
    const info = byTask.get(r.taskId) ?? { dependsOn: [], blocked: false };
    info.dependsOn.push(r.dependsOnId);
    if (r.dependsOn.state !== "completed") info.blocked = true;
    byTask.set(r.taskId, info);
  }
  return tasks.map((t) => toTaskDto(t, byTask.get(t.id)));
}

export async function taskDto(db: Tx, task: Task): Promise<TaskDto> {
  return (await withDependencies(db, [task]))[0]!;
}

export async function findTask(db: Tx, id: string): Promise<Task> {
  const task = await db.task.findUnique({ where: { id } });
  if (!task) throw new NotFound(`No task ${id}.`);
  return task;
}

/** Locks the task row for the rest of the transaction. */
export async function lockTask(tx: Tx, id: string): Promise<Task> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM tasks WHERE id = ${id} FOR UPDATE`;
  if (!locked.length) throw new NotFound(`No task ${id}.`);
  return findTask(tx, id);
}
