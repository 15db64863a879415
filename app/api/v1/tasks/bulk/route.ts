// POST /api/v1/tasks/bulk (admin): retry, cancel or reassign tasks picked by id or by filter; dryRun previews.
import { route } from "@/lib/http/route";
import { bulkInput, bulkTasks, bulkResultDto } from "@/lib/queue/bulk";

export const POST = route(
  "Retry, cancel or reassign the tasks picked by ids or by filter (at most 5 000); dryRun counts what would change. One audit event per task.",
  { access: "admin", body: bulkInput, responses: { 200: bulkResultDto }, errors: [403] },
  async ({ db, actor, body }) => bulkTasks(db, actor, body),
);
