// PATCH, DELETE /api/v1/webhooks/{id} (admin).
import { noContent, route } from "@/lib/http/route";
import { updateWebhookInput, webhookDto } from "@/lib/webhooks/schema";
import { deleteWebhook, updateWebhook } from "@/lib/webhooks/service";

export const PATCH = route(
  "Change an endpoint's URL, events, format or description; enable or disable it.",
  { access: "admin", body: updateWebhookInput, responses: { 200: webhookDto }, errors: [403, 404] },
  async ({ db, actor, params, body }) => updateWebhook(db, actor, params.id!, body),
);
export const DELETE = route(
  "Delete an endpoint and its deliveries.",
  { access: "admin", responses: { 204: null }, errors: [403, 404] },
  async ({ db, actor, params }) => {
    await deleteWebhook(db, actor, params.id!);
    return noContent();
  },
);
