// GET /api/v1/analytics/dashboard?since=|window=: totals, top performers, the four phase KPIs, queue depth.
import { route } from "@/lib/http/route";
import { periodQuery, sinceOf } from "@/lib/analytics/schema";
import { dashboard } from "@/lib/analytics/service";

export const GET = route({ query: periodQuery }, async ({ db, query }) => dashboard(db, sinceOf(query)));
