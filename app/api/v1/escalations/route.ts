// GET /api/v1/escalations?state=&kind=&expand=context: the orchestrator's inbox, newest first; with
// `expand=context`, each with what is needed to decide it.
import { route } from "@/lib/http/route";
import { withContext } from "@/lib/escalations/context";
import { listEscalationsQuery } from "@/lib/escalations/schema";
import { listEscalations } from "@/lib/escalations/service";

export const GET = route({ query: listEscalationsQuery }, async ({ db, query }) => {
  const page = await listEscalations(db, query);
  return query.expand === "context" ? { ...page, items: await withContext(db, page.items) } : page;
});
