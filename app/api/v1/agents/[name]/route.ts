// GET /api/v1/agents/{name}, PATCH /api/v1/agents/{name} (admin; an agent only its own status).
import { route } from "@/lib/http/route";
import { updateAgentInput, agentDto } from "@/lib/agents/schema";
import { getAgent, updateAgent } from "@/lib/agents/service";

export const GET = route(
  "One agent.",
  { access: "signed-in", responses: { 200: agentDto }, errors: [404] },
  async ({ db, params }) => getAgent(db, params.name!),
);

export const PATCH = route(
  "Change an agent; an agent may change only its own status (with `until` for a rate limit that ends by itself).",
  { access: "agent-or-admin", body: updateAgentInput, responses: { 200: agentDto }, errors: [403, 404] },
  async ({ db, actor, params, body }) => updateAgent(db, actor, params.name!, body),
);
