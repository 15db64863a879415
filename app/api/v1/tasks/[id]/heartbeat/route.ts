// POST /api/v1/tasks/{id}/heartbeat (the holder, presenting its lease token): extends the lease.
import { route } from "@/lib/http/route";
import { heartbeatInput } from "@/lib/queue/schema";
import { heartbeat, leaseTokenFrom } from "@/lib/queue/lease";

export const POST = route({ body: heartbeatInput }, async ({ req, db, actor, params, body }) =>
  heartbeat(db, actor, params.id!, body.leaseSeconds, leaseTokenFrom(req.headers, body.leaseToken)),
);
