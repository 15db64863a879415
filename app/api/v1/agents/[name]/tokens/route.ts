// GET /api/v1/agents/{name}/tokens (admin), POST /api/v1/agents/{name}/tokens (admin) `{ name?, expiresInDays? }`:
// the token is shown only in that answer.
import { created, route } from "@/lib/http/route";
import { issueToken, listTokens } from "@/lib/agents/service";
import { issueTokenInput, tokenDto, issuedToken } from "@/lib/agents/schema";
import { pageOf } from "@/lib/openapi/schemas";

export const GET = route(
  "An agent's tokens (prefix, last used).",
  { access: "admin", responses: { 200: pageOf(tokenDto) }, errors: [403, 404] },
  async ({ db, actor, params }) => ({
    items: await listTokens(db, actor, params.name!),
    nextCursor: null,
  }),
);

export const POST = route(
  "Issue a bearer token, shown only in this answer; optionally named and with an expiry.",
  { access: "admin", body: issueTokenInput.optional(), responses: { 201: issuedToken }, errors: [403, 404] },
  async ({ db, actor, params, body }) => created(await issueToken(db, actor, params.name!, body ?? {})),
);
