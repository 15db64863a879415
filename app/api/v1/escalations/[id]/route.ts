// GET /api/v1/escalations/{id}.
import { route } from "@/lib/http/route";
import { getEscalation } from "@/lib/escalations/service";

export const GET = route({}, async ({ db, params }) => getEscalation(db, params.id!));
