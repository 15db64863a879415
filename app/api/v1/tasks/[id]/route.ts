// GET /api/v1/tasks/{id}: the task with its history (events), follow-ups and dependents.
import { route } from "@/lib/http/route";
import { getTask } from "@/lib/queue/read";

export const GET = route({}, async ({ db, params }) => getTask(db, params.id!));
