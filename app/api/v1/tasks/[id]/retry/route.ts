// POST /api/v1/tasks/{id}/retry (admin): a failed or cancelled task goes back to pending with fresh attempts.
import { route } from "@/lib/http/route";
import { retryTask } from "@/lib/queue/admin-actions";
import { taskDto } from "@/lib/queue/schema";

export const POST = route(
  "Retry a failed or cancelled task.",
  { access: "admin", responses: { 200: taskDto }, errors: [403, 404, 409] },
  async ({ db, actor, params }) => retryTask(db, actor, params.id!),
);
