// GET /api/v1/webhooks, POST /api/v1/webhooks (admin): endpoints that receive events; a new one's secret is shown once.
import { created, route } from "@/lib/http/route";
import { createWebhookInput, webhookDto, webhookWithSecretDto } from "@/lib/webhooks/schema";
import { createWebhook, listWebhooks } from "@/lib/webhooks/service";
import { pageOf } from "@/lib/openapi/schemas";

export const GET = route(
  "Endpoints that receive events, each with its latest delivery's outcome (secrets are never listed).",
  { access: "admin", responses: { 200: pageOf(webhookDto) }, errors: [403] },
  async ({ db, actor }) => ({ items: await listWebhooks(db, actor), nextCursor: null }),
);
export const POST = route(
  "Register an endpoint for some events: Standard Webhooks 1.0 bodies signed with the whsec_ secret shown only in this answer, or Slack / Discord messages. Loopback, private, link-local and metadata addresses are refused (422) unless FED_WEBHOOK_ALLOW_HOSTS lists the host.",
  { access: "admin", body: createWebhookInput, responses: { 201: webhookWithSecretDto }, errors: [403] },
  async ({ db, actor, body }) => created(await createWebhook(db, actor, body)),
);
