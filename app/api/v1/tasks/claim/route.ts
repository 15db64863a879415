// POST /api/v1/tasks/claim: the best claimable task for the calling agent, or 204 (with waitSeconds: at the end
// of the wait).
import { noContent, route } from "@/lib/http/route";
import { claimInput } from "@/lib/queue/schema";
import { claimTask } from "@/lib/queue/claim-task";

export const POST = route(
  { body: claimInput },
  async ({ req, db, actor, body }) => (await claimTask(db, actor, body, req.signal)) ?? noContent(),
);
