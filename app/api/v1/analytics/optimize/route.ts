// POST /api/v1/analytics/optimize { dryRun = true, window?, minSamples? }: suggestions; applying is for admins.
import { route } from "@/lib/http/route";
import { optimizeInput } from "@/lib/analytics/schema";
import { optimize } from "@/lib/analytics/optimizer";

export const POST = route({ body: optimizeInput }, async ({ db, actor, body }) => optimize(db, actor, body));
