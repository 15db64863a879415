// POST /api/v1/tasks/{id}/release (the holder, presenting its lease token): back to pending, attempts unchanged.
import { route } from "@/lib/http/route";
import { releaseInput, taskDto } from "@/lib/queue/schema";
import { leaseTokenFrom, releaseTask } from "@/lib/queue/lease";

export const POST = route(
  "Give the task back: pending, attempts unchanged.",
  { access: "holder", body: releaseInput, responses: { 200: taskDto }, errors: [403, 404, 409] },
  async ({ req, db, actor, params, body }) =>
    releaseTask(db, actor, params.id!, leaseTokenFrom(req.headers, body.leaseToken), body.reason),
);
