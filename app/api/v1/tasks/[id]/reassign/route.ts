// POST /api/v1/tasks/{id}/reassign (admin) { assignee, note? }: a manual hand-off, counted as such.
import { route } from "@/lib/http/route";
import { reassignInput, taskDto } from "@/lib/queue/schema";
import { reassignTask } from "@/lib/queue/admin-actions";

export const POST = route(
  "Hand a pending or failed task to another agent.",
  { access: "admin", body: reassignInput, responses: { 200: taskDto }, errors: [403, 404, 409] },
  async ({ db, actor, params, body }) => reassignTask(db, actor, params.id!, body.assignee, body.note),
);
