// POST /api/v1/tasks/{id}/heartbeat (the holder): extends the lease.
import { route } from "@/lib/http/route";
import { heartbeatInput } from "@/lib/queue/schema";
import { heartbeat } from "@/lib/queue/lease";

export const POST = route({ body: heartbeatInput }, async ({ db, actor, params, body }) => heartbeat(db, actor, params.id!, body.leaseSeconds));
