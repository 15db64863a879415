// GET /api/v1/webhooks/{id}/deliveries?state=&limit= (admin): newest first, each with its attempts.
import { route } from "@/lib/http/route";
import { deliveriesQuery, deliveryDto } from "@/lib/webhooks/schema";
import { listDeliveries } from "@/lib/webhooks/service";
import { pageOf } from "@/lib/openapi/schemas";

export const GET = route(
  "Recent deliveries, newest first, each with its attempts (status, response code, latency, body excerpt).",
  { access: "admin", query: deliveriesQuery, responses: { 200: pageOf(deliveryDto) }, errors: [403, 404] },
  async ({ db, actor, params, query }) => ({
    items: await listDeliveries(db, actor, params.id!, query),
    nextCursor: null,
  }),
);
