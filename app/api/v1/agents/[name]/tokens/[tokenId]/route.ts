// DELETE /api/v1/agents/{name}/tokens/{tokenId} (admin): revokes the token at once.
import { route } from "@/lib/http/route";
import { revokeToken } from "@/lib/agents/service";

export const DELETE = route({}, async ({ db, actor, params }) => revokeToken(db, actor, params.name!, params.tokenId!));
