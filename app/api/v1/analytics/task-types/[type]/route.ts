// GET /api/v1/analytics/task-types/{type}?since=|window=: every agent on one task type, ranked by rating.
import { route } from "@/lib/http/route";
import { periodQuery, sinceOf, taskTypeAnalyticsDto } from "@/lib/analytics/schema";
import { taskTypeAnalytics } from "@/lib/analytics/service";

export const GET = route(
  "Every agent on one task type, ranked.",
  { access: "signed-in", query: periodQuery, responses: { 200: taskTypeAnalyticsDto } },
  async ({ db, params, query }) => taskTypeAnalytics(db, params.type!, sinceOf(query)),
);
