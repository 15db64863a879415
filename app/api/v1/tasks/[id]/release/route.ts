// POST /api/v1/tasks/{id}/release (the holder): back to pending, attempts unchanged.
import { route } from "@/lib/http/route";
import { releaseInput } from "@/lib/queue/schema";
import { releaseTask } from "@/lib/queue/lease";

export const POST = route({ body: releaseInput }, async ({ db, actor, params, body }) => releaseTask(db, actor, params.id!, body.reason));
