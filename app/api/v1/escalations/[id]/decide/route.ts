// POST /api/v1/escalations/{id}/decide (admin) { option? | assignee? | action?, note? }.
import { route } from "@/lib/http/route";
import { decideInput, escalationDto } from "@/lib/escalations/schema";
import { decideEscalation } from "@/lib/escalations/decide";

export const POST = route(
  "Decide: `option` for a vote, `assignee`, or `action` retry, cancel or dismiss; with a note.",
  { access: "admin", body: decideInput, responses: { 200: escalationDto }, errors: [403, 404, 409] },
  async ({ db, actor, params, body }) => decideEscalation(db, actor, params.id!, body),
);
