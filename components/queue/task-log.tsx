"use client";
// What the holder's agent printed (`fed run` streams it): the latest attempt's log, read again every 1.5 s while the
// task is in progress, so a person watches the agent work; ANSI colours stripped, kept scrolled to the end unless
// the reader scrolled up.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState, QueryError, Skeleton } from "@/components/ui/feedback";
import type { TaskState } from "@/lib/queue/schema";
import { stripAnsi } from "@/lib/text/ansi";

async function fetchLog(id: string): Promise<{ text: string; attempt: number | null }> {
  const res = await fetch(`/api/v1/tasks/${encodeURIComponent(id)}/log`, { cache: "no-store" });
  if (!res.ok) throw new Error(`the server answered ${res.status}`);
  const attempt = res.headers.get("x-attempt");
  return { text: stripAnsi(await res.text()), attempt: attempt ? Number(attempt) : null };
}

/** `changed`: the task's updatedAt — when the task changes (live), its log is read again. */
export function TaskLog({ id, state, changed }: { id: string; state: TaskState; changed: string }) {
  const running = state === "in_progress";
  const log = useQuery({
    queryKey: ["task-log", id, changed],
    placeholderData: (previous) => previous,
    queryFn: () => fetchLog(id),
    refetchInterval: running ? 1_500 : false,
  });
  const box = useRef<HTMLPreElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    const el = box.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [log.data?.text]);
  const text = log.data?.text ?? "";
  if (!running && log.isSuccess && !text) return null; // nothing was ever printed: no card
  return (
    <Card aria-labelledby="task-log-title">
      <CardHeader
        id="task-log-title"
        title="Agent output"
        description={
          running
            ? "Live, as the agent prints it."
            : log.data?.attempt
              ? `Attempt ${log.data.attempt}, the last 1 MiB at most.`
              : undefined
        }
      />
      <CardBody>
        <QueryError error={log.error} what="the agent's output" className="mb-3" />
        {log.isPending ? (
          <Skeleton className="h-24" />
        ) : text ? (
          <pre
            ref={box}
            role="log"
            aria-label="Agent output"
            tabIndex={0}
            data-testid="task-log"
            onScroll={(e) => {
              const el = e.currentTarget;
              pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
            }}
            className="max-h-96 overflow-auto rounded-md bg-zinc-950 p-3 font-mono text-xs leading-relaxed whitespace-pre-wrap [overflow-wrap:anywhere] text-zinc-100 focus-visible:outline-2 focus-visible:outline-indigo-500"
          >
            {text}
          </pre>
        ) : (
          <EmptyState title="No output yet">
            The agent has printed nothing so far; this fills in as it works.
          </EmptyState>
        )}
      </CardBody>
    </Card>
  );
}
