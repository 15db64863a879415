// DELETE /api/v1/me/tokens/{prefix}: the token stops working at once.
import { noContent, route } from "@/lib/http/route";
import { revokePersonalToken } from "@/lib/users/tokens";

export const DELETE = route(
  "Revoke one of your personal tokens; it stops working at once.",
  { access: "signed-in", responses: { 204: null }, errors: [403, 404] },
  async ({ db, actor, params }) => {
    await revokePersonalToken(db, actor, params.prefix!);
    return noContent();
  },
);
