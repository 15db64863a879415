// GET /api/v1/events (any credentials): Server-Sent Events, one per change of a task, escalation, vote or agent that
// the caller may see. The stream ends within seconds of its token or session ending.
import { route } from "@/lib/http/route";
import { resolveActor } from "@/lib/auth/resolve-actor";
import { Unauthorized } from "@/lib/errors";
import { eventStream } from "@/lib/events/stream";
import { eventVisibleTo } from "@/lib/events/visibility";

export const dynamic = "force-dynamic";

export const GET = route(
  "Server-Sent Events: one per change of a task, escalation, vote or agent as it commits (`data: { type, id, at }`, the audit event id as `id:`); resume with Last-Event-ID.",
  {
    access: "signed-in",
    responses: {
      200: { mediaType: "text/event-stream", description: "The change stream; a comment line every 15 s." },
    },
  },
  async ({ req, db, actor }) =>
    eventStream(req.headers.get("last-event-id"), req.signal, {
      maySee: eventVisibleTo(actor),
      // A database that cannot answer for a moment ends nothing; credentials that no longer hold do.
      stillAllowed: () =>
        resolveActor(db, req).then(
          (now) => now !== null,
          (error) => !(error instanceof Unauthorized),
        ),
    }),
);
