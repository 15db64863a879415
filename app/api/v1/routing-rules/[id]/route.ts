// PATCH, DELETE /api/v1/routing-rules/{id} (admin).
import { noContent, route } from "@/lib/http/route";
import { ruleUpdate } from "@/lib/routing/schema";
import { deleteRule, updateRule } from "@/lib/routing/rules";

export const PATCH = route({ body: ruleUpdate }, async ({ db, actor, params, body }) =>
  updateRule(db, actor, params.id!, body),
);
export const DELETE = route({}, async ({ db, actor, params }) => {
  await deleteRule(db, actor, params.id!);
  return noContent();
});
