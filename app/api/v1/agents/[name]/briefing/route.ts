// GET /api/v1/agents/{name}/briefing (that agent or an admin): an agent's session start.
import { route } from "@/lib/http/route";
import { briefing } from "@/lib/agents/service";

export const GET = route({}, async ({ db, actor, params }) => briefing(db, actor, params.name!));
