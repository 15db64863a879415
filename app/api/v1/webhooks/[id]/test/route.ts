// POST /api/v1/webhooks/{id}/test (admin): sends a test message now; answers with the delivery and its attempt.
import { route } from "@/lib/http/route";
import { testWebhook } from "@/lib/webhooks/service";

export const POST = route({}, async ({ db, actor, params }) => testWebhook(db, actor, params.id!));
