// GET /api/v1/tasks (newest first, filtered), POST /api/v1/tasks (admin, member, agent).
import { json, route } from "@/lib/http/route";
import { createTaskInput, listTasksQuery, taskDto } from "@/lib/queue/schema";
import { createTask } from "@/lib/queue/create-task";
import { listTasks } from "@/lib/queue/read";
import { pageOf } from "@/lib/openapi/schemas";

export const GET = route(
  "Tasks, newest first.",
  { access: "signed-in", query: listTasksQuery, responses: { 200: pageOf(taskDto) } },
  async ({ db, query }) => listTasks(db, query),
);

export const POST = route(
  "Create a task; without an assignee the router picks one (or a routing escalation opens below confidence 0.30).",
  { access: "writer", body: createTaskInput, responses: { 201: taskDto, 200: taskDto }, errors: [403] },
  async ({ db, actor, body }) => {
    const { task, created } = await createTask(db, actor, body);
    return json(task, created ? 201 : 200);
  },
);
