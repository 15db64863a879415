// POST /api/v1/webhooks/{id}/rotate-secret (admin): a new secret, shown once; the old one also signs for 24 h.
import { route } from "@/lib/http/route";
import { rotateSecret } from "@/lib/webhooks/service";
import { webhookWithSecretDto } from "@/lib/webhooks/schema";

export const POST = route(
  "A new secret, shown only in this answer; for 24 h deliveries carry the old secret's signature as well.",
  { access: "admin", responses: { 200: webhookWithSecretDto }, errors: [403, 404] },
  async ({ db, actor, params }) => rotateSecret(db, actor, params.id!),
);
