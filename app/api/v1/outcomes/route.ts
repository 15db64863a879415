// POST /api/v1/outcomes (admin, or an agent for itself): record an outcome directly, as the seed's `record`.
import { created, route } from "@/lib/http/route";
import { outcomeInput } from "@/lib/analytics/schema";
import { recordOutcomeFromApi } from "@/lib/analytics/service";

export const POST = route({ body: outcomeInput }, async ({ db, actor, body }) =>
  created(await recordOutcomeFromApi(db, actor, body)),
);
