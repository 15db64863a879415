// Reading the queue: filtered lists newest first, one task with its history and follow-ups.
import { z } from "zod";
import type { Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { eventsForSubject } from "@/lib/audit/service";
import type { EventDto } from "@/lib/audit/schema";
import { decodeCursor, toPage, type Page } from "@/lib/http/list";
import { findTask, taskDto, withDependencies } from "./dto";
import type { ListTasksQuery, TaskDto } from "./schema";

export async function listTasks(db: Tx, query: ListTasksQuery): Promise<Page<TaskDto>> {
  const after = decodeCursor(query.cursor, z.object({ at: z.string(), id: z.string() }));
  const where: Prisma.TaskWhereInput = {
    ...(query.state ? { state: query.state } : {}),
    ...(query.assignee ? { assignee: query.assignee === "none" ? null : query.assignee } : {}),
    ...(query.type ? { type: query.type } : {}),
    ...(query.q ? { OR: [{ title: { contains: query.q, mode: "insensitive" } }, { id: { contains: query.q } }] } : {}),
    ...(after ? { AND: [{ OR: [{ createdAt: { lt: new Date(after.at) } }, { createdAt: new Date(after.at), id: { lt: after.id } }] }] } : {}),
  };
  const rows = await db.task.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: query.limit + 1 });
  const page = toPage(rows, query.limit, (r) => r, (r) => ({ at: r.createdAt.toISOString(), id: r.id }));
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
  return { ...dto, events, followUps: await withDependencies(db, followUps), dependents: dependents.map((d) => d.taskId) };
}
