// GET /api/v1/log: audit events, newest first (what the caller's role may see of them).
import { route } from "@/lib/http/route";
import { logQuery, eventDto } from "@/lib/audit/schema";
import { listEvents } from "@/lib/audit/service";
import { redactEvents } from "@/lib/events/visibility";
import { pageOf } from "@/lib/openapi/schemas";

export const GET = route(
  "Audit events, newest first.",
  { access: "signed-in", query: logQuery, responses: { 200: pageOf(eventDto) } },
  async ({ db, actor, query }) => {
    const page = await listEvents(db, query);
    return { ...page, items: redactEvents(actor, page.items) };
  },
);
