// GET /api/v1/agents/{name}/tokens (admin), POST /api/v1/agents/{name}/tokens (admin): the token is shown only here.
import { created, route } from "@/lib/http/route";
import { issueToken, listTokens } from "@/lib/agents/service";

export const GET = route({}, async ({ db, actor, params }) => ({
  items: await listTokens(db, actor, params.name!),
  nextCursor: null,
}));

export const POST = route({}, async ({ db, actor, params }) => created(await issueToken(db, actor, params.name!)));
