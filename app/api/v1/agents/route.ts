// GET /api/v1/agents, POST /api/v1/agents (admin).
import { created, route } from "@/lib/http/route";
import { createAgentInput } from "@/lib/agents/schema";
import { createAgent, listAgents } from "@/lib/agents/service";

export const GET = route({}, async ({ db }) => ({ items: await listAgents(db), nextCursor: null }));

export const POST = route({ body: createAgentInput }, async ({ db, actor, body }) =>
  created(await createAgent(db, actor, body)),
);
