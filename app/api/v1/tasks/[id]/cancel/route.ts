// POST /api/v1/tasks/{id}/cancel (admin or creator).
import { z } from "zod";
import { route } from "@/lib/http/route";
import { cancelTask } from "@/lib/queue/admin-actions";

export const POST = route(
  { body: z.strictObject({ reason: z.string().max(2000).optional() }) },
  async ({ db, actor, params, body }) => cancelTask(db, actor, params.id!, body.reason),
);
