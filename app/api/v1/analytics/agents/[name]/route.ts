// GET /api/v1/analytics/agents/{name}?since=|window=: one agent's figures, by task type, trend and recent work.
import { route } from "@/lib/http/route";
import { periodQuery, sinceOf } from "@/lib/analytics/schema";
import { agentAnalytics } from "@/lib/analytics/service";

export const GET = route({ query: periodQuery }, async ({ db, params, query }) =>
  agentAnalytics(db, params.name!, sinceOf(query)),
);
