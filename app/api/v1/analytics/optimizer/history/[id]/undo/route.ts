// POST /api/v1/analytics/optimizer/history/{id}/undo (admin): put the routing rules back as they were.
import { route } from "@/lib/http/route";
import { undoOptimizerChange } from "@/lib/analytics/optimizer";

export const POST = route({}, async ({ db, actor, params }) => undoOptimizerChange(db, actor, params.id!));
