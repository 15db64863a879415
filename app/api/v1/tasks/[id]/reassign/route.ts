// POST /api/v1/tasks/{id}/reassign (admin) { assignee, note? }: a manual hand-off, counted as such.
import { route } from "@/lib/http/route";
import { reassignInput } from "@/lib/queue/schema";
import { reassignTask } from "@/lib/queue/admin-actions";

export const POST = route({ body: reassignInput }, async ({ db, actor, params, body }) =>
  reassignTask(db, actor, params.id!, body.assignee, body.note),
);
