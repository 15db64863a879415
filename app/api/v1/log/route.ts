// GET /api/v1/log: audit events, newest first (what the caller's role may see of them).
import { route } from "@/lib/http/route";
import { logQuery } from "@/lib/audit/schema";
import { listEvents } from "@/lib/audit/service";
import { redactEvents } from "@/lib/events/visibility";

export const GET = route({ query: logQuery }, async ({ db, actor, query }) => {
  const page = await listEvents(db, query);
  return { ...page, items: redactEvents(actor, page.items) };
});
