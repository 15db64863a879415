// POST /api/v1/tasks/{id}/cancel (admin or creator) { reason? } → cancelled.
import { route } from "@/lib/http/route";
import { cancelInput, taskDto } from "@/lib/queue/schema";
import { cancelTask } from "@/lib/queue/admin-actions";

export const POST = route(
  "Cancel a task.",
  { access: "creator-or-admin", body: cancelInput, responses: { 200: taskDto }, errors: [403, 404, 409] },
  async ({ db, actor, params, body }) => cancelTask(db, actor, params.id!, body.reason),
);
