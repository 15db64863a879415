// POST /api/v1/tasks/bulk (admin): retry, cancel or reassign tasks picked by id or by filter; dryRun previews.
import { route } from "@/lib/http/route";
import { bulkInput, bulkTasks } from "@/lib/queue/bulk";

export const POST = route({ body: bulkInput }, async ({ db, actor, body }) => bulkTasks(db, actor, body));
