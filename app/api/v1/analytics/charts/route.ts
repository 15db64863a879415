// GET /api/v1/analytics/charts?window=: the Analytics page's series — success by agent, the agent × type
// heat map, durations, trends.
import { route } from "@/lib/http/route";
import { periodQuery, sinceOf } from "@/lib/analytics/schema";
import { charts, chartsDto } from "@/lib/analytics/charts";

export const GET = route(
  "The Analytics page's series.",
  { access: "signed-in", query: periodQuery, responses: { 200: chartsDto } },
  async ({ db, query }) => charts(db, sinceOf(query)),
);
