// GET /api/v1/escalations?state=&kind=&expand=context: the orchestrator's inbox, newest first; with
// `expand=context`, each with what is needed to decide it.
import { route } from "@/lib/http/route";
import { withContext, escalationWithContextDto } from "@/lib/escalations/context";
import { listEscalationsQuery, escalationDto } from "@/lib/escalations/schema";
import { listEscalations } from "@/lib/escalations/service";
import { pageOf } from "@/lib/openapi/schemas";

export const GET = route(
  "The inbox, newest first; `expand=context` adds what is needed to decide each.",
  {
    access: "signed-in",
    query: listEscalationsQuery,
    responses: { 200: pageOf(escalationWithContextDto.or(escalationDto)) },
  },
  async ({ db, query }) => {
    const page = await listEscalations(db, query);
    return query.expand === "context" ? { ...page, items: await withContext(db, page.items) } : page;
  },
);
