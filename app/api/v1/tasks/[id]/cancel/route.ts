// POST /api/v1/tasks/{id}/cancel (admin or creator) { reason? } → cancelled.
import { route } from "@/lib/http/route";
import { cancelInput } from "@/lib/queue/schema";
import { cancelTask } from "@/lib/queue/admin-actions";

export const POST = route({ body: cancelInput }, async ({ db, actor, params, body }) =>
  cancelTask(db, actor, params.id!, body.reason),
);
