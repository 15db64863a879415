// GET, PATCH (admin), DELETE (admin) /api/v1/rules/{id}.
import { noContent, route } from "@/lib/http/route";
import { updateRuleInput } from "@/lib/scheduling/schema";
import { deleteScheduleRule, getScheduleRule, updateScheduleRule } from "@/lib/scheduling/rules";

export const GET = route({}, async ({ db, params }) => getScheduleRule(db, params.id!));
export const PATCH = route({ body: updateRuleInput }, async ({ db, actor, params, body }) =>
  updateScheduleRule(db, actor, params.id!, body),
);
export const DELETE = route({}, async ({ db, actor, params }) => {
  await deleteScheduleRule(db, actor, params.id!);
  return noContent();
});
