// GET /api/v1/agents, POST /api/v1/agents (admin).
import { created, route } from "@/lib/http/route";
import { createAgentInput, agentDto } from "@/lib/agents/schema";
import { createAgent, listAgents } from "@/lib/agents/service";
import { pageOf } from "@/lib/openapi/schemas";

export const GET = route(
  "The registry.",
  { access: "signed-in", responses: { 200: pageOf(agentDto) } },
  async ({ db }) => ({ items: await listAgents(db), nextCursor: null }),
);

export const POST = route(
  "Register an agent.",
  { access: "admin", body: createAgentInput, responses: { 201: agentDto }, errors: [403, 409] },
  async ({ db, actor, body }) => created(await createAgent(db, actor, body)),
);
