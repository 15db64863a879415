// POST /api/v1/rules/preview { type, agent, success?, title?, priority?, chainDepth? }: the follow-ups a
// completion like this would create, without creating them.
import { route } from "@/lib/http/route";
import { previewInput } from "@/lib/scheduling/schema";
import { previewFollowUps } from "@/lib/scheduling/preview";

export const POST = route({ body: previewInput }, async ({ db, body }) => previewFollowUps(db, body));
