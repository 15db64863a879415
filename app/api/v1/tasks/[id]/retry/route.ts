// POST /api/v1/tasks/{id}/retry (admin): a failed or cancelled task goes back to pending with fresh attempts.
import { route } from "@/lib/http/route";
import { retryTask } from "@/lib/queue/admin-actions";

export const POST = route({}, async ({ db, actor, params }) => retryTask(db, actor, params.id!));
