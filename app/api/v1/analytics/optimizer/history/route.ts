// GET /api/v1/analytics/optimizer/history: what applying the optimizer changed, newest first.
import { route } from "@/lib/http/route";
import { optimizerHistory } from "@/lib/analytics/optimizer";
import { pageOf } from "@/lib/openapi/schemas";
import { optimizerChangeDto } from "@/lib/analytics/schema";

export const GET = route(
  "What applying the optimizer changed.",
  { access: "signed-in", responses: { 200: pageOf(optimizerChangeDto) } },
  async ({ db }) => ({ items: await optimizerHistory(db), nextCursor: null }),
);
