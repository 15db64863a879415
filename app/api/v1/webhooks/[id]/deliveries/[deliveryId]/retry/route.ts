// POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/retry (admin): sends that delivery once more, now, with the same
// webhook-id and body (a replay by hand).
import { route } from "@/lib/http/route";
import { retryDelivery } from "@/lib/webhooks/service";

export const POST = route({}, async ({ db, actor, params }) =>
  retryDelivery(db, actor, params.id!, params.deliveryId!),
);
