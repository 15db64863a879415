// POST /api/v1/route: which agent should take this task, and why (v1 rules, v2 hybrid, explain, compare).
import { route } from "@/lib/http/route";
import { routeInput } from "@/lib/routing/schema";
import { routeTask } from "@/lib/routing/route-task";

export const POST = route({ body: routeInput }, async ({ db, body }) => routeTask(db, body));
