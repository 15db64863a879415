// GET /api/v1/analytics/optimizer/history: what applying the optimizer changed, newest first.
import { route } from "@/lib/http/route";
import { optimizerHistory } from "@/lib/analytics/optimizer";

export const GET = route({}, async ({ db }) => ({ items: await optimizerHistory(db), nextCursor: null }));
