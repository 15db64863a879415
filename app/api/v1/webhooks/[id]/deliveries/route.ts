// GET /api/v1/webhooks/{id}/deliveries?state=&limit= (admin): newest first, each with its attempts.
import { route } from "@/lib/http/route";
import { deliveriesQuery } from "@/lib/webhooks/schema";
import { listDeliveries } from "@/lib/webhooks/service";

export const GET = route({ query: deliveriesQuery }, async ({ db, actor, params, query }) => ({
  items: await listDeliveries(db, actor, params.id!, query),
  nextCursor: null,
}));
