// GET /api/v1/analytics/leaderboard?taskType=&since=|window=: agents ranked by the Wilson lower bound.
import { route } from "@/lib/http/route";
import { leaderboardQuery, sinceOf, leaderboardDto } from "@/lib/analytics/schema";
import { leaderboard } from "@/lib/analytics/service";

export const GET = route(
  "Agents ranked by the Wilson lower bound.",
  { access: "signed-in", query: leaderboardQuery, responses: { 200: leaderboardDto } },
  async ({ db, query }) => leaderboard(db, sinceOf(query), query.taskType),
);
