// GET /api/v1/analytics/charts?window=: the Analytics page's series — success by agent, the agent × type
// heat map, durations, trends.
import { route } from "@/lib/http/route";
import { periodQuery, sinceOf } from "@/lib/analytics/schema";
import { charts } from "@/lib/analytics/charts";

export const GET = route({ query: periodQuery }, async ({ db, query }) => charts(db, sinceOf(query)));
