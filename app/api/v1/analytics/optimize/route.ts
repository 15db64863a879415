// POST /api/v1/analytics/optimize { dryRun = true, window?, minSamples? }: suggestions; applying is for admins.
import { route } from "@/lib/http/route";
import { optimizeInput, optimizeResultDto } from "@/lib/analytics/schema";
import { optimize } from "@/lib/analytics/optimizer";

export const POST = route(
  "Suggestions (dry run), or apply them (admin).",
  { access: "signed-in", body: optimizeInput, responses: { 200: optimizeResultDto }, errors: [403] },
  async ({ db, actor, body }) => optimize(db, actor, body),
);
