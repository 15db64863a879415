// Completing: the holder reports the result; an outcome is recorded and the same call repeated answers the same.
import { isDeepStrictEqual } from "node:util";
import type { Db, Tx } from "@/lib/db/client";
import type { Prisma, Task } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/actor";
import { recordEvent } from "@/lib/audit/record";
import { openEscalation } from "@/lib/escalations/service";
import { Conflict, Forbidden } from "@/lib/errors";
import { recordOutcome } from "@/lib/outcomes/record";
import { lockTask, taskDto, withDependencies } from "./dto";
import { requireHolder } from "./lease";
import type { CompleteInput, TaskDto } from "./schema";

export interface Completion {
  task: TaskDto;
  followUps: TaskDto[];
}

interface LastCompletion {
  agent: string;
  body: CompleteInput;
}

/** Runs inside the completion's transaction; auto-scheduling plugs in here. */
export type CompletionHook = (tx: Tx, actor: Actor, task: Task) => Promise<TaskDto[]>;
const hooks: CompletionHook[] = [];
export function onTaskCompleted(hook: CompletionHook): void {
  if (!hooks.includes(hook)) hooks.push(hook);
}

async function followUpsOf(tx: Tx, id: string): Promise<TaskDto[]> {
  return withDependencies(tx, await tx.task.findMany({ where: { parentId: id }, orderBy: { createdAt: "asc" } }));
}

function minutesSince(date: Date | null): number | null {
  return date ? Math.round(((Date.now() - date.getTime()) / 60_000) * 100) / 100 : null;
}

export async function completeTask(db: Db, actor: Actor, id: string, body: CompleteInput): Promise<Completion> {
  return db.$transaction(async (tx) => {
    const task = await lockTask(tx, id);
    const last = task.lastCompletion as LastCompletion | null;
    if (actor.kind === "agent" && last && last.agent === actor.agent && isDeepStrictEqual(last.body, body)) {
      return { task: await taskDto(tx, task), followUps: await followUpsOf(tx, id) };
    }
    if (actor.kind === "agent" && ["completed", "failed", "cancelled"].includes(task.state)) {
      if (task.claimedBy && task.claimedBy !== actor.agent) throw new Forbidden(`Task ${id} was held by ${task.claimedBy}, not ${actor.agent}.`);
      throw new Conflict(`Task ${id} is already ${task.state}; a different completion cannot change it.`);
    }
    const agent = requireHolder(actor, task, "complete");

    const retrying = !body.success && body.retry === true && task.attempts + 1 < task.maxAttempts;
    const exhausted = !body.success && body.retry === true && !retrying;
    const durationMinutes = body.durationMinutes ?? minutesSince(task.claimedAt);
    const outcome = {
      agent,
      success: body.success,
      durationMinutes,
      rework: body.rework ?? false,
      ...(body.summary !== undefined ? { summary: body.summary } : {}),
      ...(body.output !== undefined ? { output: body.output } : {}),
    } as Prisma.InputJsonObject;
    const lastCompletion = { agent, body } as unknown as Prisma.InputJsonObject;
    const now = new Date();

    const updated = await tx.task.update({
      where: { id },
      data: retrying
        ? { state: "pending", attempts: { increment: 1 }, claimedBy: null, claimedAt: null, leaseExpiresAt: null, outcome, lastCompletion }
        : { state: body.success ? "completed" : "failed", leaseExpiresAt: null, completedAt: now, outcome, lastCompletion, ...(body.success ? {} : { attempts: { increment: 1 } }) },
    });
    await recordOutcome(tx, {
      agent,
      taskType: task.type,
      success: body.success,
      durationMinutes,
      rework: body.rework ?? false,
      taskId: id,
      description: task.title,
    });
    const action = body.success ? "task.completed" : retrying ? "task.retry_scheduled" : "task.failed";
    await recordEvent(tx, {
      actor,
      action,
      subject: `task:${id}`,
      details: { agent, success: body.success, durationMinutes, ...(body.summary ? { summary: body.summary.slice(0, 500) } : {}), attempts: updated.attempts },
    });
    if (exhausted) {
      await openEscalation(tx, actor, { kind: "task", subjectId: id, reason: `Failed after ${updated.attempts} of ${updated.maxAttempts} attempts; ${agent} asked for a retry but none are left.` });
    }
    const followUps: TaskDto[] = [];
    for (const hook of hooks) followUps.push(...(await hook(tx, actor, updated)));
    return { task: await taskDto(tx, updated), followUps };
  });
}
