// POST /api/v1/tasks/{id}/log (the holder, presenting its lease token): appends what its agent printed → 202.
// GET /api/v1/tasks/{id}/log?attempt= : one attempt's log as text/plain (the latest by default).
import { route } from "@/lib/http/route";
import { leaseTokenFrom } from "@/lib/queue/lease";
import { appendLog, appendLogInput, readLog, readLogQuery } from "@/lib/queue/task-log";

export const POST = route({ body: appendLogInput }, async ({ req, db, actor, params, body }) => {
  const done = await appendLog(db, actor, params.id!, body, leaseTokenFrom(req.headers, body.leaseToken));
  return new Response(JSON.stringify(done), {
    status: 202,
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
});

export const GET = route({ query: readLogQuery }, async ({ db, actor, params, query }) => {
  const log = await readLog(db, actor, params.id!, query.attempt);
  return new Response(log.text, {
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Cache-Control": "no-store",
      ...(log.attempt ? { "X-Attempt": String(log.attempt) } : {}),
    },
  });
});
