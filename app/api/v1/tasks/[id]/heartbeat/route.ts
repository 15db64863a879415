// POST /api/v1/tasks/{id}/heartbeat (the holder, presenting its lease token): extends the lease.
import { route } from "@/lib/http/route";
import { heartbeatInput, leaseDto } from "@/lib/queue/schema";
import { heartbeat, leaseTokenFrom } from "@/lib/queue/lease";

export const POST = route(
  "Extend the lease.",
  { access: "holder", body: heartbeatInput, responses: { 200: leaseDto }, errors: [403, 404, 409] },
  async ({ req, db, actor, params, body }) =>
    heartbeat(db, actor, params.id!, body.leaseSeconds, leaseTokenFrom(req.headers, body.leaseToken)),
);
