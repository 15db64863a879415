// POST /api/v1/webhooks/{id}/test (admin): sends a test message now; answers with the delivery and its attempt.
import { route } from "@/lib/http/route";
import { testWebhook } from "@/lib/webhooks/service";
import { deliveryDto } from "@/lib/webhooks/schema";

export const POST = route(
  "Send a `webhook.test` message now; the answer is the delivery with its attempt.",
  { access: "admin", responses: { 200: deliveryDto }, errors: [403, 404] },
  async ({ db, actor, params }) => testWebhook(db, actor, params.id!),
);
