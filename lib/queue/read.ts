// Reading the queue: filtered lists newest first, one task with its history and follow-ups.
import { poolOf, type Db, type Tx } from "@/lib/db/client";
import { eventsForSubject } from "@/lib/audit/service";
import type { EventDto } from "@/lib/audit/schema";
import { z } from "zod";
import { cursorId, cursorTime } from "@/lib/http/time";
import { decodeCursor, timeIdCursor, toPage, type Page } from "@/lib/http/list";
import { findTask, rowToTaskDto, taskRowColumns, taskDto, withDependencies, type TaskRow } from "./dto";
import { eligibleCtes } from "./eligible";
import { filterSql } from "./filter";
import { priority, TASK_STATES, type ListTasksQuery, type TaskDto, type TaskFilter, type TaskState } from "./schema";

const claimCursor = z.strictObject({ p: priority, at: cursorTime, id: cursorId });

/**
 * A filtered page of tasks, newest first or in claim order (priority, then oldest first), keyset-paginated.
 * Each order walks an index: (created_at DESC, id) for newest, the pending claim-order index for claim order.
 */
export async function listTasks(db: Db, query: ListTasksQuery): Promise<Page<TaskDto>> {
  const claimOrder = query.order === "claim";
  const params: unknown[] = [];
  const where = [filterSql(query, params)];
  const add = (value: unknown) => `$${params.push(value)}`;
  if (claimOrder) {
    const c = decodeCursor(query.cursor, claimCursor);
    if (c)
      where.push(
        `(t.priority < ${add(c.p)}::"TaskPriority" OR (t.priority = $${params.length}::"TaskPriority" AND (t.created_at, t.id) > (${add(c.at)}::timestamptz, ${add(c.id)})))`,
      );
  } else {
    const c = decodeCursor(query.cursor, timeIdCursor);
    if (c) where.push(`(t.created_at, t.id) < (${add(c.at)}::timestamptz, ${add(c.id)})`);
  }
  const order = claimOrder ? "t.priority DESC, t.created_at ASC, t.id ASC" : "t.created_at DESC, t.id DESC";
  const { rows } = await poolOf(db).query<TaskRow>(
    `SELECT ${taskRowColumns("t")} FROM tasks t WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ${add(query.limit + 1)}`,
    params,
  );
  return toPage(rows, query.limit, rowToTaskDto, (r) => {
    const at = (r.created_at as Date).toISOString();
    return claimOrder ? { p: r.priority, at, id: r.id } : { at, id: r.id };
  });
}

/** How many tasks match a filter, per state (the board's column counts and the bulk preview use them). */
export async function countTasks(db: Db, filter: TaskFilter): Promise<Record<TaskState, number> & { total: number }> {
  const params: unknown[] = [];
  const { rows } = await poolOf(db).query<{ state: TaskState; n: string }>(
    `SELECT t.state::text AS state, count(*) AS n FROM tasks t WHERE ${filterSql(filter, params)} GROUP BY t.state`,
    params,
  );
  const counts = Object.fromEntries(TASK_STATES.map((s) => [s, 0])) as Record<TaskState, number>;
  for (const r of rows) counts[r.state] = Number(r.n);
  return { ...counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
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
