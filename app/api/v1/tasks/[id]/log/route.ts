// POST /api/v1/tasks/{id}/log (the holder, presenting its lease token): appends what its agent printed → 202.
// GET /api/v1/tasks/{id}/log?attempt= : one attempt's log as text/plain (the latest by default).
import { route } from "@/lib/http/route";
import { leaseTokenFrom } from "@/lib/queue/lease";
import { appendLog, appendLogInput, readLog, readLogQuery, appendLogDto } from "@/lib/queue/task-log";

export const POST = route(
  "Append what the holder's agent printed to the current attempt's log (kept bounded: the last 1 MiB per attempt).",
  { access: "holder", body: appendLogInput, responses: { 202: appendLogDto }, errors: [403, 404, 409] },
  async ({ req, db, actor, params, body }) => {
    const done = await appendLog(db, actor, params.id!, body, leaseTokenFrom(req.headers, body.leaseToken));
    return new Response(JSON.stringify(done), {
      status: 202,
      headers: { "Content-Type": "application/json; charset=utf-8" },
    });
  },
);

export const GET = route(
  "One attempt's log as plain text (the latest by default); empty when nothing was printed.",
  {
    access: "signed-in",
    query: readLogQuery,
    responses: { 200: { mediaType: "text/plain", description: "What the agent printed, oldest first" } },
    errors: [404],
  },
  async ({ db, actor, params, query }) => {
    const log = await readLog(db, actor, params.id!, query.attempt);
    return new Response(log.text, {
      headers: {
        "Content-Type": "text/plain; charset=utf-8",
        "Cache-Control": "no-store",
        ...(log.attempt ? { "X-Attempt": String(log.attempt) } : {}),
      },
    });
  },
);
