// GET /api/v1/rules, POST /api/v1/rules (admin): auto-scheduling rules.
import { created, route } from "@/lib/http/route";
import { createRuleInput, scheduleRuleDto } from "@/lib/scheduling/schema";
import { createScheduleRule, listScheduleRules } from "@/lib/scheduling/rules";
import { pageOf } from "@/lib/openapi/schemas";

export const GET = route(
  "Auto-scheduling rules.",
  { access: "signed-in", responses: { 200: pageOf(scheduleRuleDto) } },
  async ({ db }) => ({ items: await listScheduleRules(db), nextCursor: null }),
);
export const POST = route(
  "Create a rule.",
  { access: "admin", body: createRuleInput, responses: { 201: scheduleRuleDto }, errors: [403] },
  async ({ db, actor, body }) => created(await createScheduleRule(db, actor, body)),
);
