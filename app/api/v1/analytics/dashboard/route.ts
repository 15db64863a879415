// GET /api/v1/analytics/dashboard?since=|window=: totals, top performers, the four phase KPIs, queue depth.
import { route } from "@/lib/http/route";
import { periodQuery, sinceOf, dashboardDto } from "@/lib/analytics/schema";
import { dashboard } from "@/lib/analytics/service";

export const GET = route(
  "Totals, top performers, the four phase KPIs, queue depth.",
  { access: "signed-in", query: periodQuery, responses: { 200: dashboardDto } },
  async ({ db, query }) => dashboard(db, sinceOf(query)),
);
