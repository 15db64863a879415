// POST /api/v1/outcomes (admin, or an agent for itself): record an outcome directly, as the seed's `record`.
import { created, route } from "@/lib/http/route";
import { outcomeInput, outcomeRecordedDto } from "@/lib/analytics/schema";
import { recordOutcomeFromApi } from "@/lib/analytics/service";

export const POST = route(
  "Record an outcome directly (the seed's `record`).",
  { access: "agent-or-admin", body: outcomeInput, responses: { 201: outcomeRecordedDto }, errors: [403] },
  async ({ db, actor, body }) => created(await recordOutcomeFromApi(db, actor, body)),
);
