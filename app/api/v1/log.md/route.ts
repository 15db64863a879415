// GET /api/v1/log.md: the audit log as a FEDERATION_LOG.md document.
import { route } from "@/lib/http/route";
import { logMdQuery } from "@/lib/audit/schema";
import { listEvents, renderLogMarkdown } from "@/lib/audit/service";
import { redactEvents } from "@/lib/events/visibility";

export const GET = route(
  "The log as a FEDERATION_LOG.md document.",
  {
    access: "signed-in",
    query: logMdQuery,
    responses: { 200: { mediaType: "text/markdown", description: "FEDERATION_LOG.md" } },
  },
  async ({ db, actor, query }) => {
    const page = await listEvents(db, query);
    return new Response(renderLogMarkdown(redactEvents(actor, page.items)), {
      headers: {
        "Content-Type": "text/markdown; charset=utf-8",
        "Content-Disposition": 'inline; filename="FEDERATION_LOG.md"',
      },
    });
  },
);
