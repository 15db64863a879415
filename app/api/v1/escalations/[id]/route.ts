// GET /api/v1/escalations/{id}: one escalation with its context (the vote or task, the router's top three,
// the suggested decision).
import { route } from "@/lib/http/route";
import { escalationContext } from "@/lib/escalations/context";
import { getEscalation } from "@/lib/escalations/service";

export const GET = route({}, async ({ db, params }) => {
  const escalation = await getEscalation(db, params.id!);
  return { ...escalation, context: await escalationContext(db, escalation) };
});
