// POST /api/v1/tasks/claim: the best claimable task for the calling agent, or 204 (with waitSeconds: at the end
// of the wait).
import { noContent, route } from "@/lib/http/route";
import { claimInput, claimedTaskDto } from "@/lib/queue/schema";
import { claimTask } from "@/lib/queue/claim-task";

export const POST = route(
  "Claim the best claimable task (priority, then age; fallback chains included) with a new lease token; with waitSeconds, wait up to that long for one. Nothing (204) when none is claimable.",
  { access: "agent", body: claimInput, responses: { 200: claimedTaskDto, 204: null }, errors: [403] },
  async ({ req, db, actor, body }) => (await claimTask(db, actor, body, req.signal)) ?? noContent(),
);
