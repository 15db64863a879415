// GET /api/v1/log.md: the audit log as a FEDERATION_LOG.md document.
import { route } from "@/lib/http/route";
import { logMdQuery } from "@/lib/audit/schema";
import { listEvents, renderLogMarkdown } from "@/lib/audit/service";


export const GET = route({ query: logMdQuery }, async ({ db, query }) => {
  const page = await listEvents(db, query);
  return new Response(renderLogMarkdown(page.items), {
    headers: { "Content-Type": "text/markdown; charset=utf-8", "Content-Disposition": 'inline; filename="FEDERATION_LOG.md"' },
  });
});
