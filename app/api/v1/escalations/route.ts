// GET /api/v1/escalations?state=&kind=: the orchestrator's inbox, newest first.
import { route } from "@/lib/http/route";
import { listEscalationsQuery } from "@/lib/escalations/schema";
import { listEscalations } from "@/lib/escalations/service";

export const GET = route({ query: listEscalationsQuery }, async ({ db, query }) => listEscalations(db, query));
