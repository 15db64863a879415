// POST /api/v1/tasks/{id}/complete (the holder, presenting its lease token): records the outcome;
// repeating the same call answers the same.
import { route } from "@/lib/http/route";
import { completeInput, completionDto } from "@/lib/queue/schema";
import { completeTask } from "@/lib/queue/complete-task";
import { leaseTokenFrom } from "@/lib/queue/lease";

export const POST = route(
  "Report how the claim ended: records an outcome, runs auto-scheduling. The same call repeated answers the same.",
  { access: "holder", body: completeInput, responses: { 200: completionDto }, errors: [403, 404, 409] },
  async ({ req, db, actor, params, body }) =>
    completeTask(db, actor, params.id!, body, leaseTokenFrom(req.headers, body.leaseToken)),
);
