// POST /api/v1/tasks/{id}/complete (the holder, presenting its lease token): records the outcome;
// repeating the same call answers the same.
import { route } from "@/lib/http/route";
import { completeInput } from "@/lib/queue/schema";
import { completeTask } from "@/lib/queue/complete-task";
import { leaseTokenFrom } from "@/lib/queue/lease";

export const POST = route({ body: completeInput }, async ({ req, db, actor, params, body }) =>
  completeTask(db, actor, params.id!, body, leaseTokenFrom(req.headers, body.leaseToken)),
);
