// POST /api/v1/webhooks/{id}/rotate-secret (admin): a new secret, shown once; the old one also signs for 24 h.
import { route } from "@/lib/http/route";
import { rotateSecret } from "@/lib/webhooks/service";

export const POST = route({}, async ({ db, actor, params }) => rotateSecret(db, actor, params.id!));
