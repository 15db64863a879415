// GET /api/v1/tasks (newest first, filtered), POST /api/v1/tasks (admin, member, agent).
import { json, route } from "@/lib/http/route";
import { createTaskInput, listTasksQuery } from "@/lib/queue/schema";
import { createTask } from "@/lib/queue/create-task";
import { listTasks } from "@/lib/queue/read";

export const GET = route({ query: listTasksQuery }, async ({ db, query }) => listTasks(db, query));

export const POST = route({ body: createTaskInput }, async ({ db, actor, body }) => {
  const { task, created } = await createTask(db, actor, body);
  return json(task, created ? 201 : 200);
});
