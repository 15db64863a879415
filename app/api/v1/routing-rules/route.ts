// GET /api/v1/routing-rules, POST /api/v1/routing-rules (admin): the v1 router's rules.
import { created, route } from "@/lib/http/route";
import { ruleInput, routingRuleDto } from "@/lib/routing/schema";
import { createRule, listRules } from "@/lib/routing/rules";
import { pageOf } from "@/lib/openapi/schemas";

export const GET = route(
  "The v1 router's rules.",
  { access: "signed-in", responses: { 200: pageOf(routingRuleDto) } },
  async ({ db }) => ({ items: await listRules(db), nextCursor: null }),
);
export const POST = route(
  "Add a rule.",
  { access: "admin", body: ruleInput, responses: { 201: routingRuleDto }, errors: [403, 409] },
  async ({ db, actor, body }) => created(await createRule(db, actor, body)),
);
