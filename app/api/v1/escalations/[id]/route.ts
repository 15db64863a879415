// GET /api/v1/escalations/{id}: one escalation with its context (the vote or task, the router's top three,
// the suggested decision).
import { route } from "@/lib/http/route";
import { escalationContext, escalationWithContextDto } from "@/lib/escalations/context";
import { getEscalation } from "@/lib/escalations/service";

export const GET = route(
  "One escalation with its context.",
  { access: "signed-in", responses: { 200: escalationWithContextDto }, errors: [404] },
  async ({ db, params }) => {
    const escalation = await getEscalation(db, params.id!);
    return { ...escalation, context: await escalationContext(db, escalation) };
  },
);
