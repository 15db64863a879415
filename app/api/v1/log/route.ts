// GET /api/v1/log: audit events, newest first.
import { route } from "@/lib/http/route";
import { logQuery } from "@/lib/audit/schema";
import { listEvents } from "@/lib/audit/service";

export const GET = route({ query: logQuery }, async ({ db, query }) => listEvents(db, query));
