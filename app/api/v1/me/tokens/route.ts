// GET /api/v1/me/tokens: the caller's personal tokens. POST { name, expiresInDays? } → 201, the token shown once.
import { created, route } from "@/lib/http/route";
import { issuePersonalToken, issuePersonalTokenInput, listPersonalTokens } from "@/lib/users/tokens";

export const GET = route({}, async ({ db, actor }) => ({
  items: await listPersonalTokens(db, actor),
  nextCursor: null,
}));

export const POST = route({ body: issuePersonalTokenInput }, async ({ db, actor, body }) =>
  created(await issuePersonalToken(db, actor, body)),
);
