// GET /api/v1/log.md: the audit log as a FEDERATION_LOG.md document.
import { z } from "zod";
import { route } from "@/lib/http/route";
import { logQuery } from "@/lib/audit/schema";
import { listEvents, renderLogMarkdown } from "@/lib/audit/service";

// The document may hold more than a page of the API: up to 1000 events, 500 by default.
const logMdQuery = logQuery.extend({ limit: z.coerce.number().int().min(1).max(1000).default(500) });

export const GET = route({ query: logMdQuery }, async ({ db, query }) => {
  const page = await listEvents(db, query);
  return new Response(renderLogMarkdown(page.items), {
    headers: { "Content-Type": "text/markdown; charset=utf-8", "Content-Disposition": 'inline; filename="FEDERATION_LOG.md"' },
  });
});
