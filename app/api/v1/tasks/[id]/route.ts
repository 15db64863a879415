// GET /api/v1/tasks/{id}: the task with its history (events, as the caller's role may see them), follow-ups and
// dependents.
import { route } from "@/lib/http/route";
import { redactEvents } from "@/lib/events/visibility";
import { getTask } from "@/lib/queue/read";
import { taskDetailDto } from "@/lib/queue/schema";

export const GET = route(
  "One task with its history, follow-ups and dependents.",
  { access: "signed-in", responses: { 200: taskDetailDto }, errors: [404] },
  async ({ db, actor, params }) => {
    const task = await getTask(db, params.id!);
    return { ...task, events: redactEvents(actor, task.events) };
  },
);
