// GET /api/v1/analytics/agents/{name}?since=|window=: one agent's figures, by task type, trend and recent work.
import { route } from "@/lib/http/route";
import { periodQuery, sinceOf, agentAnalyticsDto } from "@/lib/analytics/schema";
import { agentAnalytics } from "@/lib/analytics/service";

export const GET = route(
  "One agent's figures, by task type, trend and recent work.",
  { access: "signed-in", query: periodQuery, responses: { 200: agentAnalyticsDto }, errors: [404] },
  async ({ db, params, query }) => agentAnalytics(db, params.name!, sinceOf(query)),
);
