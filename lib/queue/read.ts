// Reading the queue: filtered lists newest first, one task with its history and follow-ups.
import { poolOf, type Db, type Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { eventsForSubject } from "@/lib/audit/service";
import type { EventDto } from "@/lib/audit/schema";
import { z } from "zod";
import { decodeCursor, timeIdCursor, toPage, type Page } from "@/lib/http/list";
import { findTask, rowToTaskDto, taskDto, taskRowColumns, withDependencies, type TaskRow } from "./dto";
import { eligibleCtes } from "./eligible";
import { PRIORITIES, priority, priorityRank, type ListTasksQuery, type TaskDto } from "./schema";

/** Prisma's `contains` is a LIKE pattern: `%` and `_` in what a person typed must match themselves. */
export const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

const claimCursor = z.strictObject({ p: priority, at: z.iso.datetime(), id: z.string().min(1).max(64) });

/** After a task in claim order: a lower priority, or the same priority and later (created_at, id). */
function afterInClaimOrder(c: z.infer<typeof claimCursor>): Prisma.TaskWhereInput {
  const lower = PRIORITIES.slice(0, priorityRank(c.p));
  return {
    OR: [
      ...(lower.length ? [{ priority: { in: [...lower] } }] : []),
      { priority: c.p, createdAt: { gt: new Date(c.at) } },
      { priority: c.p, createdAt: new Date(c.at), id: { gt: c.id } },
    ],
  };
}

export async function listTasks(db: Tx, query: ListTasksQuery): Promise<Page<TaskDto>> {
  const claimOrder = query.order === "claim";
  const after = claimOrder ? undefined : decodeCursor(query.cursor, timeIdCursor);
  const afterClaim = claimOrder ? decodeCursor(query.cursor, claimCursor) : undefined;
  const where: Prisma.TaskWhereInput = {
    ...(query.state ? { state: query.state } : {}),
    ...(query.assignee ? { assignee: query.assignee === "none" ? null : query.assignee } : {}),
    ...(query.type ? { type: query.type } : {}),
    ...(query.q
      ? {
          OR: [
            { title: { contains: likeLiteral(query.q), mode: "insensitive" } },
            { id: { contains: likeLiteral(query.q) } },
          ],
        }
      : {}),
    ...(after
      ? {
          AND: [
            {
              OR: [{ createdAt: { lt: new Date(after.at) } }, { createdAt: new Date(after.at), id: { lt: after.id } }],
            },
          ],
        }
      : {}),
    ...(afterClaim ? { AND: [afterInClaimOrder(afterClaim)] } : {}),
  };
  const rows = await db.task.findMany({
    where,
    orderBy: claimOrder
      ? [{ priority: "desc" }, { createdAt: "asc" }, { id: "asc" }]
      : [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  const page = toPage(
    rows,
    query.limit,
    (r) => r,
    (r) =>
      claimOrder
        ? { p: r.priority, at: r.createdAt.toISOString(), id: r.id }
        : { at: r.createdAt.toISOString(), id: r.id },
  );
  return { items: await withDependencies(db, page.items), nextCursor: page.nextCursor };
}

export interface TaskDetail extends TaskDto {
  events: EventDto[];
  followUps: TaskDto[];
  dependents: string[];
}

export async function getTask(db: Tx, id: string): Promise<TaskDetail> {
  const task = await findTask(db, id);
  const [dto, events, followUps, dependents] = await Promise.all([
    taskDto(db, task),
    eventsForSubject(db, `task:${id}`, 200),
    db.task.findMany({ where: { parentId: id }, orderBy: { createdAt: "asc" } }),
    db.taskDependency.findMany({ where: { dependsOnId: id }, select: { taskId: true } }),
  ]);
  return {
    ...dto,
    events,
    followUps: await withDependencies(db, followUps),
    dependents: dependents.map((d) => d.taskId),
  };
}

/**
 * An agent's own queue for its briefing: the tasks it holds, and the pending tasks it could claim now (its
 * own and those falling to it down fallback chains, unblocked), in claim order.
 */
export async function agentQueue(
  db: Db,
  agent: string,
  limit = 50,
): Promise<{ inProgress: TaskDto[]; pending: TaskDto[] }> {
  const pool = poolOf(db);
  const [held, claimable] = await Promise.all([
    pool.query<TaskRow>(
      `SELECT ${taskRowColumns("t")} FROM tasks t WHERE t.state = 'in_progress' AND t.claimed_by = $1 ORDER BY t.claimed_at LIMIT $2`,
      [agent, limit],
    ),
    pool.query<TaskRow>(
      `WITH RECURSIVE ${eligibleCtes("$1")}
       SELECT ${taskRowColumns("t")} FROM tasks t
       WHERE t.state = 'pending' AND t.assignee IN (SELECT name FROM eligible)
         AND NOT EXISTS (SELECT 1 FROM task_dependencies d JOIN tasks dt ON dt.id = d.depends_on_id WHERE d.task_id = t.id AND dt.state <> 'completed')
       ORDER BY t.priority DESC, t.created_at ASC, t.id ASC
       LIMIT $2`,
      [agent, limit],
    ),
  ]);
  return { inProgress: held.rows.map(rowToTaskDto), pending: claimable.rows.map(rowToTaskDto) };
}
