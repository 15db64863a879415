// GET /api/v1/rules, POST /api/v1/rules (admin): auto-scheduling rules.
import { created, route } from "@/lib/http/route";
import { createRuleInput } from "@/lib/scheduling/schema";
import { createScheduleRule, listScheduleRules } from "@/lib/scheduling/rules";

export const GET = route({}, async ({ db }) => ({ items: await listScheduleRules(db), nextCursor: null }));
export const POST = route({ body: createRuleInput }, async ({ db, actor, body }) =>
  created(await createScheduleRule(db, actor, body)),
);
