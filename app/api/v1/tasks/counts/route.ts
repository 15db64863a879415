// GET /api/v1/tasks/counts (signed in): how many tasks match a filter, per state and in total.
import { route } from "@/lib/http/route";
import { countTasks } from "@/lib/queue/read";
import { taskFilter, taskCountsDto } from "@/lib/queue/schema";

export const GET = route(
  "How many tasks match a filter, per state and in total.",
  { access: "signed-in", query: taskFilter, responses: { 200: taskCountsDto } },
  async ({ db, query }) => countTasks(db, query),
);
