// POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/retry (admin): sends that delivery once more, now, with the same
// webhook-id and body (a replay by hand).
import { route } from "@/lib/http/route";
import { retryDelivery } from "@/lib/webhooks/service";
import { deliveryDto } from "@/lib/webhooks/schema";

export const POST = route(
  "Send a delivery once more, now, with the same webhook-id and body (a replay by hand).",
  { access: "admin", responses: { 200: deliveryDto }, errors: [403, 404, 409] },
  async ({ db, actor, params }) => retryDelivery(db, actor, params.id!, params.deliveryId!),
);
