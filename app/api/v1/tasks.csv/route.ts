// GET /api/v1/tasks.csv (signed in): the tasks a filter matches as CSV, newest first, streamed.
import { route } from "@/lib/http/route";
import { tasksCsv } from "@/lib/queue/export";
import { taskFilter } from "@/lib/queue/schema";

export const dynamic = "force-dynamic";

export const GET = route({ query: taskFilter }, async ({ db, query }) => {
  const rows = tasksCsv(db, query);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await rows.next();
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
});
