// GET /api/v1/escalations/summary: how many escalations wait for a person, in all and by kind (the badge).
import { route } from "@/lib/http/route";
import { escalationSummary } from "@/lib/escalations/service";
import { escalationSummaryDto } from "@/lib/escalations/schema";

export const GET = route(
  "How many wait for a person, by kind.",
  { access: "signed-in", responses: { 200: escalationSummaryDto } },
  async ({ db }) => escalationSummary(db),
);
