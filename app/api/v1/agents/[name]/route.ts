// GET /api/v1/agents/{name}, PATCH /api/v1/agents/{name} (admin; an agent only its own status).
import { route } from "@/lib/http/route";
import { updateAgentInput } from "@/lib/agents/schema";
import { getAgent, updateAgent } from "@/lib/agents/service";

export const GET = route({}, async ({ db, params }) => getAgent(db, params.name!));

export const PATCH = route({ body: updateAgentInput }, async ({ db, actor, params, body }) =>
  updateAgent(db, actor, params.name!, body),
);
