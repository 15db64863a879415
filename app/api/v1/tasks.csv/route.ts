// GET /api/v1/tasks.csv (signed in): the tasks a filter matches as CSV, newest first, streamed.
import { route } from "@/lib/http/route";
import { tasksCsv } from "@/lib/queue/export";
import { taskFilter } from "@/lib/queue/schema";

export const dynamic = "force-dynamic";

export const GET = route(
  "The tasks a filter matches as CSV (newest first, streamed; formula-like cells are defused).",
  {
    access: "signed-in",
    query: taskFilter,
    responses: { 200: { mediaType: "text/csv", description: "One row per task with its outcome summary." } },
  },
  async ({ db, query }) => {
    const rows = tasksCsv(db, query);
    const encoder = new TextEncoder();
    // The header line and the first batch are read before answering: a database that is away now gets a 503
    // problem, not a download that breaks off. (Later batches fail mid-stream: the connection ends then.)
    const first = [await rows.next(), await rows.next()];
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = first.shift() ?? (await rows.next());
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await rows.return(undefined);
      },
    });
    const stamp = new Date().toISOString().slice(0, 16).replace(/[T:]/g, "-");
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="tasks-${stamp}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  },
);
