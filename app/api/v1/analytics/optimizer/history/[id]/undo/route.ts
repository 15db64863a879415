// POST /api/v1/analytics/optimizer/history/{id}/undo (admin): put the routing rules back as they were.
import { route } from "@/lib/http/route";
import { undoOptimizerChange } from "@/lib/analytics/optimizer";
import { optimizerChangeDto } from "@/lib/analytics/schema";

export const POST = route(
  "Put the routing rules back as they were.",
  { access: "admin", responses: { 200: optimizerChangeDto }, errors: [403, 404, 409] },
  async ({ db, actor, params }) => undoOptimizerChange(db, actor, params.id!),
);
