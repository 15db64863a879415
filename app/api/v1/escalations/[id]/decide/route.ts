// POST /api/v1/escalations/{id}/decide (admin) { option? | assignee? | action?, note? }.
import { route } from "@/lib/http/route";
import { decideInput } from "@/lib/escalations/schema";
import { decideEscalation } from "@/lib/escalations/decide";

export const POST = route({ body: decideInput }, async ({ db, actor, params, body }) =>
  decideEscalation(db, actor, params.id!, body),
);
