"use client";
// The Queue board: pending (in claim order, numbered), in progress, completed and failed columns (cancelled one
// click away), filters, and the create form. Refreshes every 1.5 s so moves appear without a reload.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert, EmptyState, QueryError, Skeleton } from "@/components/ui/feedback";
import { Input, Select } from "@/components/ui/form";
import type { AgentDto } from "@/lib/agents/schema";
import type { TaskState } from "@/lib/queue/schema";
import type { CreateTaskResult } from "@/app/(dashboard)/queue/actions";
import { CreateTaskForm } from "./create-task-form";
import { fetchColumn, queueKeys, type QueueFilters } from "./queries";
import { stateLabel } from "./task-badges";
import { TaskCard } from "./task-card";

const BOARD: TaskState[] = ["pending", "in_progress", "completed", "failed"];
const LIMIT: Record<TaskState, number> = { pending: 200, in_progress: 200, completed: 50, failed: 100, cancelled: 100 };

function Column({ state, filters }: { state: TaskState; filters: QueueFilters }) {
  const column = useQuery({
    queryKey: queueKeys.column(state, filters),
    queryFn: () => fetchColumn(state, filters, LIMIT[state]),
  });
  const items = column.data?.items ?? [];
  return (
    <section
      aria-labelledby={`col-${state}`}
      className="flex min-w-0 flex-col rounded-xl border border-zinc-200 bg-zinc-100/60 dark:border-zinc-800 dark:bg-zinc-900/40"
      data-column={state}
    >
      <header className="flex items-center justify-between px-3 py-2.5">
        <h2 id={`col-${state}`} className="text-sm font-semibold text-zinc-800 dark:text-zinc-200">
          {stateLabel[state]}
        </h2>
        <span className="rounded-full bg-white px-2 py-0.5 text-xs font-medium text-zinc-600 tabular-nums ring-1 ring-zinc-200 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700">
          {column.data ? `${items.length}${column.data.nextCursor ? "+" : ""}` : "…"}
        </span>
      </header>
      <QueryError error={column.error} what="this column" className="m-2" />
      {column.isPending ? (
        <div className="space-y-2 p-2">
          <Skeleton className="h-20" />
          <Skeleton className="h-20" />
        </div>
      ) : items.length === 0 ? (
        <EmptyState
          title={
            state === "pending"
              ? "Nothing waiting"
              : state === "in_progress"
                ? "Nobody is working"
                : state === "failed"
                  ? "Nothing has failed"
                  : "Nothing here yet"
          }
        />
      ) : (
        <ol className="space-y-2 overflow-y-auto p-2 lg:max-h-[calc(100vh-16rem)]">
          {items.map((t, i) => (
            <TaskCard key={t.id} task={t} position={state === "pending" ? i + 1 : undefined} />
          ))}
        </ol>
      )}
    </section>
  );
}

export function QueueBoard({
  agents,
  canCreate,
  createAction,
}: {
  agents: AgentDto[];
  canCreate: boolean;
  createAction: (s: CreateTaskResult, f: FormData) => Promise<CreateTaskResult>;
}) {
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<QueueFilters>({ assignee: "", type: "", q: "" });
  const [view, setView] = useState<"board" | TaskState>("board");
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const onCreated = useCallback(
    (id: string) => {
      setCreating(false);
      setCreated(id);
      queryClient.invalidateQueries({ queryKey: queueKeys.all });
    },
    [queryClient],
  );
  const columns = view === "board" ? BOARD : [view];

  return (
    <>
      <div className="mb-4 flex flex-wrap items-end gap-3" role="search" aria-label="Filter tasks">
        <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          <span className="mb-1 block">Search</span>
          <Input
            className="w-56"
            placeholder="Title or id"
            value={filters.q}
            onChange={(e) => setFilters((f) => ({ ...f, q: e.target.value }))}
          />
        </label>
        <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          <span className="mb-1 block">Agent</span>
          <Select
            className="w-40"
            value={filters.assignee}
            onChange={(e) => setFilters((f) => ({ ...f, assignee: e.target.value }))}
          >
            <option value="">All agents</option>
            <option value="none">Unassigned</option>
            {agents.map((a) => (
              <option key={a.name} value={a.name}>
                {a.name}
              </option>
            ))}
          </Select>
        </label>
        <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          <span className="mb-1 block">Type</span>
          <Input
            className="w-40"
            placeholder="any"
            value={filters.type}
            onChange={(e) => setFilters((f) => ({ ...f, type: e.target.value }))}
          />
        </label>
        <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          <span className="mb-1 block">State</span>
          <Select className="w-48" value={view} onChange={(e) => setView(e.target.value as typeof view)}>
            <option value="board">Board</option>
            {(["pending", "in_progress", "completed", "failed", "cancelled"] as const).map((s) => (
              <option key={s} value={s}>
                {stateLabel[s]}
              </option>
            ))}
          </Select>
        </label>
        <div className="ml-auto">{canCreate && <Button onClick={() => setCreating(true)}>New task</Button>}</div>
      </div>
      {created && (
        <Alert tone="success" className="mb-4">
          Task{" "}
          <a className="font-mono underline" href={`/queue/${created}`}>
            {created}
          </a>{" "}
          created.
        </Alert>
      )}
      <div className={`grid gap-4 ${columns.length > 1 ? "md:grid-cols-2 xl:grid-cols-4" : ""}`}>
        {columns.map((s) => (
          <Column key={s} state={s} filters={filters} />
        ))}
      </div>
      <Dialog
        open={creating}
        onClose={() => setCreating(false)}
        title="New task"
        description="It waits in Pending until its agent claims it."
      >
        <CreateTaskForm agents={agents} action={createAction} onCreated={onCreated} />
      </Dialog>
    </>
  );
}
