// DELETE /api/v1/agents/{name}/tokens/{tokenId} (admin): revokes the token at once.
import { route } from "@/lib/http/route";
import { revokeToken } from "@/lib/agents/service";
import { tokenDto } from "@/lib/agents/schema";

export const DELETE = route(
  "Revoke a token at once.",
  { access: "admin", responses: { 200: tokenDto }, errors: [403, 404] },
  async ({ db, actor, params }) => revokeToken(db, actor, params.name!, params.tokenId!),
);
