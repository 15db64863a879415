// GET /api/v1/escalations/summary: how many escalations wait for a person, in all and by kind (the badge).
import { route } from "@/lib/http/route";
import { escalationSummary } from "@/lib/escalations/service";

export const GET = route({}, async ({ db }) => escalationSummary(db));
