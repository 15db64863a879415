// PATCH, DELETE /api/v1/webhooks/{id} (admin).
import { noContent, route } from "@/lib/http/route";
import { updateWebhookInput } from "@/lib/webhooks/schema";
import { deleteWebhook, updateWebhook } from "@/lib/webhooks/service";

export const PATCH = route({ body: updateWebhookInput }, async ({ db, actor, params, body }) =>
  updateWebhook(db, actor, params.id!, body),
);
export const DELETE = route({}, async ({ db, actor, params }) => {
  await deleteWebhook(db, actor, params.id!);
  return noContent();
});
