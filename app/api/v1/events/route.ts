// GET /api/v1/events (any credentials): Server-Sent Events, one per change of a task, escalation, vote or agent.
import { route } from "@/lib/http/route";
import { eventStream } from "@/lib/events/stream";

export const dynamic = "force-dynamic";

export const GET = route({}, async ({ req }) => eventStream(req.headers.get("last-event-id"), req.signal));
