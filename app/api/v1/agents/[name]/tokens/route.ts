// GET /api/v1/agents/{name}/tokens (admin), POST /api/v1/agents/{name}/tokens (admin) `{ name?, expiresInDays? }`:
// the token is shown only in that answer.
import { created, route } from "@/lib/http/route";
import { issueToken, listTokens } from "@/lib/agents/service";
import { issueTokenInput } from "@/lib/agents/schema";

export const GET = route({}, async ({ db, actor, params }) => ({
  items: await listTokens(db, actor, params.name!),
  nextCursor: null,
}));

export const POST = route({ body: issueTokenInput.optional() }, async ({ db, actor, params, body }) =>
  created(await issueToken(db, actor, params.name!, body ?? {})),
);
