// DELETE /api/v1/me/tokens/{prefix}: the token stops working at once.
import { noContent, route } from "@/lib/http/route";
import { revokePersonalToken } from "@/lib/users/tokens";

export const DELETE = route({}, async ({ db, actor, params }) => {
  await revokePersonalToken(db, actor, params.prefix!);
  return noContent();
});
