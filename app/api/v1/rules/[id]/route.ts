// GET, PATCH (admin), DELETE (admin) /api/v1/rules/{id}.
import { noContent, route } from "@/lib/http/route";
import { updateRuleInput, scheduleRuleDto } from "@/lib/scheduling/schema";
import { deleteScheduleRule, getScheduleRule, updateScheduleRule } from "@/lib/scheduling/rules";

export const GET = route(
  "One rule.",
  { access: "signed-in", responses: { 200: scheduleRuleDto }, errors: [404] },
  async ({ db, params }) => getScheduleRule(db, params.id!),
);
export const PATCH = route(
  "Change a rule.",
  { access: "admin", body: updateRuleInput, responses: { 200: scheduleRuleDto }, errors: [403, 404] },
  async ({ db, actor, params, body }) => updateScheduleRule(db, actor, params.id!, body),
);
export const DELETE = route(
  "Delete a rule.",
  { access: "admin", responses: { 204: null }, errors: [403, 404] },
  async ({ db, actor, params }) => {
    await deleteScheduleRule(db, actor, params.id!);
    return noContent();
  },
);
