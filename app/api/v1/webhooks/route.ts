// GET /api/v1/webhooks, POST /api/v1/webhooks (admin): endpoints that receive events; a new one's secret is shown once.
import { created, route } from "@/lib/http/route";
import { createWebhookInput } from "@/lib/webhooks/schema";
import { createWebhook, listWebhooks } from "@/lib/webhooks/service";

export const GET = route({}, async ({ db, actor }) => ({ items: await listWebhooks(db, actor), nextCursor: null }));
export const POST = route({ body: createWebhookInput }, async ({ db, actor, body }) =>
  created(await createWebhook(db, actor, body)),
);
