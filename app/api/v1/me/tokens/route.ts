// GET /api/v1/me/tokens: the caller's personal tokens. POST { name, expiresInDays? } → 201, the token shown once.
import { created, route } from "@/lib/http/route";
import {
  issuePersonalToken,
  issuePersonalTokenInput,
  listPersonalTokens,
  personalTokenDto,
  issuedPersonalToken,
} from "@/lib/users/tokens";
import { pageOf } from "@/lib/openapi/schemas";

export const GET = route(
  "Your personal API tokens (prefix, name, expiry, last used).",
  { access: "signed-in", responses: { 200: pageOf(personalTokenDto) }, errors: [403] },
  async ({ db, actor }) => ({
    items: await listPersonalTokens(db, actor),
    nextCursor: null,
  }),
);

export const POST = route(
  "Issue a personal token for the CLI or scripts, shown only in this answer. It acts with your role and stops working when it expires, is revoked, or you are disabled.",
  { access: "signed-in", body: issuePersonalTokenInput, responses: { 201: issuedPersonalToken }, errors: [403] },
  async ({ db, actor, body }) => created(await issuePersonalToken(db, actor, body)),
);
