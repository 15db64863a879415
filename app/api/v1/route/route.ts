// POST /api/v1/route: which agent should take this task, and why (v1 rules, v2 hybrid, explain, compare).
import { route } from "@/lib/http/route";
import { routeInput, routeResult } from "@/lib/routing/schema";
import { routeTask } from "@/lib/routing/route-task";

export const POST = route(
  "Route a task: agent, confidence, every candidate's parts.",
  { access: "signed-in", body: routeInput, responses: { 200: routeResult } },
  async ({ db, body }) => routeTask(db, body),
);
