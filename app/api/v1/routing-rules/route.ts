// GET /api/v1/routing-rules, POST /api/v1/routing-rules (admin): the v1 router's rules.
import { created, route } from "@/lib/http/route";
import { ruleInput } from "@/lib/routing/schema";
import { createRule, listRules } from "@/lib/routing/rules";

export const GET = route({}, async ({ db }) => ({ items: await listRules(db), nextCursor: null }));
export const POST = route({ body: ruleInput }, async ({ db, actor, body }) =>
  created(await createRule(db, actor, body)),
);
