// Creating tasks: validation against the registry and the queue, idempotency keys, the audit event.
import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/actor";
import { requireWriter } from "@/lib/auth/policy";
import { recordEvent } from "@/lib/audit/record";
import { Forbidden, Invalid } from "@/lib/errors";
import { nextId } from "@/lib/ids";
import { openEscalation } from "@/lib/escalations/service";
import { routeTask, whyAPersonDecides } from "@/lib/routing/route-task";
import { createTaskInput, type CreateTaskInput, type TaskDto } from "./schema";
import { findTask, taskDto } from "./dto";

export interface TaskOrigin {
  source?: "manual" | "auto" | "api";
  parentId?: string | null;
  ruleId?: string | null;
  chainDepth?: number;
  spawnKey?: string;
}

export interface CreatedTask {
  task: TaskDto;
  /** False when an idempotency key returned an existing task. */
  created: boolean;
}

const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;

async function checkReferences(tx: Tx, assignee: string | null | undefined, dependsOn: string[]): Promise<void> {
  if (assignee && !(await tx.agent.findUnique({ where: { name: assignee }, select: { name: true } }))) {
    throw new Invalid(`Unknown assignee ${assignee}.`, [{ path: "assignee", message: `No agent named ${assignee}.` }]);
  }
  if (dependsOn.length) {
    const found = await tx.task.findMany({ where: { id: { in: dependsOn } }, select: { id: true } });
    const known = new Set(found.map((t) => t.id));
    const missing = dependsOn.filter((id) => !known.has(id));
    if (missing.length) {
      throw new Invalid(
        `Unknown dependency ${missing.join(", ")}.`,
        missing.map((id) => ({ path: "dependsOn", message: `No task ${id}.` })),
      );
    }
  }
}

/**
 * Priority inheritance: everything a task waits on (transitively) and that is not done yet is raised to
 * at least the task's priority, so urgent work is never stuck behind a low-priority dependency.
 */
export async function raiseDependencies(
  tx: Tx,
  actor: Actor | string,
  taskId: string,
  priority: string,
): Promise<string[]> {
  const raised = await tx.$queryRaw<{ id: string; was: string }[]>`
    WITH RECURSIVE up(id) AS (
      SELECT depends_on_id FROM task_dependencies WHERE task_id = ${taskId}
      UNION
      SELECT d.depends_on_id FROM task_dependencies d JOIN up ON d.task_id = up.id
    ), old AS (
      SELECT t.id, t.priority FROM tasks t JOIN up ON up.id = t.id
      WHERE t.state IN ('pending', 'in_progress') AND t.priority < ${priority}::"TaskPriority"
      FOR UPDATE OF t
    )
    UPDATE tasks SET priority = ${priority}::"TaskPriority", updated_at = now()
    FROM old WHERE tasks.id = old.id
    RETURNING tasks.id, old.priority::text AS was`;
  for (const r of raised) {
    await recordEvent(tx, {
      actor,
      action: "task.priority_raised",
      subject: `task:${r.id}`,
      details: { from: r.was, to: priority, because: taskId },
    });
  }
  return raised.map((r) => r.id);
}

/** Inserts a task inside an open transaction: the building block for the API, forms and auto-scheduling. */
export async function insertTask(
  tx: Tx,
  actor: Actor | string,
  input: ReturnType<typeof createTaskInput.parse>,
  origin: TaskOrigin = {},
  id?: string,
): Promise<TaskDto> {
  const dependsOn = [...new Set(input.dependsOn ?? [])];
  await checkReferences(tx, input.assignee, dependsOn);
  // No assignee: the router picks one, or a person does when it is not confident enough.
  let assignee = input.assignee ?? null;
  let routing: {
    agent: string | null;
    confidence: number;
    method: string;
    fallbackApplied?: unknown;
    reason?: string;
  } | null = null;
  if (!assignee) {
    const routed = await routeTask(tx, { task: `${input.title}\n${input.description ?? ""}`, type: input.type });
    const confident = routed.agent !== null && !routed.personDecides;
    routing = {
      agent: confident ? routed.agent : null,
      confidence: routed.confidence,
      method: routed.method,
      ...(routed.fallbackApplied ? { fallbackApplied: routed.fallbackApplied } : {}),
      ...(routed.reason ? { reason: routed.reason } : {}),
    };
    if (confident) assignee = routed.agent;
  }
  const label = typeof actor === "string" ? actor : actor.label;
  const source = origin.source ?? (typeof actor !== "string" && actor.kind === "user" ? "manual" : "api");
  const task = await tx.task.create({
    data: {
      id: id ?? (await nextId(tx, "task")),
      title: input.title,
      description: input.description ?? "",
      type: input.type,
      priority: input.priority,
      assignee,
      routing: (routing ?? undefined) as Prisma.InputJsonObject | undefined,
      createdBy: label,
      source,
      parentId: origin.parentId ?? null,
      ruleId: origin.ruleId ?? null,
      chainDepth: origin.chainDepth ?? 0,
      spawnKey: origin.spawnKey ?? null,
      maxAttempts: input.maxAttempts,
      metadata: (input.metadata ?? {}) as Prisma.InputJsonObject,
    },
  });
  if (dependsOn.length) {
    await tx.taskDependency.createMany({ data: dependsOn.map((d) => ({ taskId: task.id, dependsOnId: d })) });
    await raiseDependencies(tx, actor, task.id, task.priority);
  }
  await recordEvent(tx, {
    actor,
    action: "task.created",
    subject: `task:${task.id}`,
    details: {
      title: task.title,
      type: task.type,
      priority: task.priority,
      assignee: task.assignee,
      source,
      ...(dependsOn.length ? { dependsOn } : {}),
      ...(routing ? { routing: routing as Prisma.InputJsonObject } : {}),
    },
  });
  if (routing && !routing.agent) {
    await openEscalation(tx, actor, {
      kind: "routing",
      subjectId: task.id,
      reason: whyAPersonDecides(routing),
    });
  }
  return taskDto(tx, task);
}

/** `POST /tasks` and the create form. */
export async function createTask(db: Db, actor: Actor, raw: CreateTaskInput): Promise<CreatedTask> {
  requireWriter(actor, "create tasks");
  if (actor.role === "viewer") throw new Forbidden("A viewer may not create tasks.");
  const input = createTaskInput.parse(raw);
  return db.$transaction(async (tx) => {
    const id = await nextId(tx, "task");
    if (input.idempotencyKey) {
      // The key row is written first: a concurrent request with the same key waits on it, then sees it.
      const inserted = await tx.$queryRaw<{ task_id: string }[]>`
        INSERT INTO idempotency_keys (caller, key, task_id) VALUES (${actor.label}, ${input.idempotencyKey}, ${id})
        ON CONFLICT (caller, key) DO UPDATE SET task_id = EXCLUDED.task_id, created_at = now()
          WHERE idempotency_keys.created_at < now() - make_interval(secs => ${IDEMPOTENCY_WINDOW_MS / 1000})
        RETURNING task_id`;
      if (!inserted.length) {
        const prior = await tx.idempotencyKey.findUniqueOrThrow({
          where: { caller_key: { caller: actor.label, key: input.idempotencyKey } },
        });
        return { task: await taskDto(tx, await findTask(tx, prior.taskId)), created: false };
      }
    }
    return { task: await insertTask(tx, actor, input, {}, id), created: true };
  });
}
