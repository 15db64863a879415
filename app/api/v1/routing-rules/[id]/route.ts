// PATCH, DELETE /api/v1/routing-rules/{id} (admin).
import { noContent, route } from "@/lib/http/route";
import { ruleUpdate, routingRuleDto } from "@/lib/routing/schema";
import { deleteRule, updateRule } from "@/lib/routing/rules";

export const PATCH = route(
  "Change a rule's weight or pattern.",
  { access: "admin", body: ruleUpdate, responses: { 200: routingRuleDto }, errors: [403, 404] },
  async ({ db, actor, params, body }) => updateRule(db, actor, params.id!, body),
);
export const DELETE = route(
  "Delete a rule.",
  { access: "admin", responses: { 204: null }, errors: [403, 404] },
  async ({ db, actor, params }) => {
    await deleteRule(db, actor, params.id!);
    return noContent();
  },
);
