// POST /api/v1/tasks/{id}/complete (the holder): records the outcome; repeating the same call answers the same.
import { route } from "@/lib/http/route";
import { completeInput } from "@/lib/queue/schema";
import { completeTask } from "@/lib/queue/complete-task";

export const POST = route({ body: completeInput }, async ({ db, actor, params, body }) => completeTask(db, actor, params.id!, body));
