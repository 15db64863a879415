// POST /api/v1/rules/preview { type, agent, success?, title?, priority?, chainDepth? }: the follow-ups a
// completion like this would create, without creating them.
import { route } from "@/lib/http/route";
import { previewInput, previewResult } from "@/lib/scheduling/schema";
import { previewFollowUps } from "@/lib/scheduling/preview";

export const POST = route(
  "What the rules would create for a completion.",
  { access: "signed-in", body: previewInput, responses: { 200: previewResult } },
  async ({ db, body }) => previewFollowUps(db, body),
);
