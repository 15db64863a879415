// GET /api/v1/analytics/task-types/{type}?since=|window=: every agent on one task type, ranked by rating.
import { route } from "@/lib/http/route";
import { periodQuery, sinceOf } from "@/lib/analytics/schema";
import { taskTypeAnalytics } from "@/lib/analytics/service";

export const GET = route({ query: periodQuery }, async ({ db, params, query }) =>
  taskTypeAnalytics(db, params.type!, sinceOf(query)),
);
