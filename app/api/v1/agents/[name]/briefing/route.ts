// GET /api/v1/agents/{name}/briefing (that agent or an admin): an agent's session start.
import { route } from "@/lib/http/route";
import { briefing } from "@/lib/agents/service";
import { briefingDto } from "@/lib/openapi/schemas";

export const GET = route(
  "An agent's session start: its tasks, votes awaiting its ballot, recent log. Records lastSeenAt; wakes an offline agent.",
  { access: "agent-or-admin", responses: { 200: briefingDto }, errors: [403, 404] },
  async ({ db, actor, params }) => briefing(db, actor, params.name!),
);
