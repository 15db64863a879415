"use client";
// The console's list view: one state (or all) as dense rows, newest first (Pending in claim order, numbered),
// paged by cursor; admins select rows, or take everything the filter matches, for a bulk action.
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState, QueryError, Skeletons } from "@/components/ui/feedback";
import { RelativeTime } from "@/components/ui/time";
import { queueKeys, type QueueFilters } from "@/components/live/keys";
import { api } from "@/lib/client/api";
import type { Page } from "@/lib/http/list";
import type { BulkAction } from "@/lib/queue/bulk-states";
import type { TaskDto, TaskState } from "@/lib/queue/schema";
import { APPLIES_TO } from "@/lib/queue/bulk-states";
import type { Selection } from "./bulk-dialog";
import { attemptsText, StateBadge, TaskFlags } from "./task-badges";
import { filterParams } from "./use-counts";

const PAGE = 100;

function fetchPage(state: TaskState | "", filters: QueueFilters, cursor: string | null): Promise<Page<TaskDto>> {
  const params = filterParams(filters);
  params.set("limit", String(PAGE));
  if (state) params.set("state", state);
  if (state === "pending") params.set("order", "claim");
  if (cursor) params.set("cursor", cursor);
  return api<Page<TaskDto>>(`/tasks?${params}`);
}

export function TaskList({
  state,
  filters,
  matching,
  canBulk,
  onBulk,
}: {
  state: TaskState | "";
  filters: QueueFilters;
  /** How many tasks the filter matches in all (from the shared counts). */
  matching: number | undefined;
  canBulk: boolean;
  onBulk: (action: BulkAction, selection: Selection) => void;
}) {
  const list = useInfiniteQuery({
    queryKey: queueKeys.list(state, filters),
    queryFn: ({ pageParam }) => fetchPage(state, filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const tasks = list.data?.pages.flatMap((p) => p.items) ?? [];
  // Only rows still on screen count as selected (a refresh may have moved some away).
  const selected = tasks.filter((t) => picked.has(t.id)).map((t) => t.id);
  const allShown = tasks.length > 0 && selected.length === tasks.length;
  const toggle = (id: string) =>
    setPicked((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const byFilter: Selection = { filter: { ...filters, ...(state ? { state } : {}) } };
  const actions: BulkAction[] = (["retry", "cancel", "reassign"] as const).filter(
    (a) => !state || APPLIES_TO[a].includes(state),
  );

  return (
    <section
      aria-label="Tasks"
      className="rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
    >
      {canBulk && (
        <div
          className="flex flex-wrap items-center gap-2 border-b border-zinc-200 px-4 py-2.5 text-sm dark:border-zinc-800"
          data-testid="bulk-bar"
        >
          <label className="mr-1 inline-flex items-center gap-2 font-medium">
            <input
              type="checkbox"
              className="size-4 accent-indigo-600"
              checked={allShown}
              disabled={!tasks.length}
              onChange={() => setPicked(allShown ? new Set() : new Set(tasks.map((t) => t.id)))}
            />
            {selected.length ? `${selected.length} selected` : "Select shown"}
          </label>
          <span className="text-zinc-600 dark:text-zinc-400">
            {selected.length
              ? "Act on the selection:"
              : `Act on all ${matching?.toLocaleString("en") ?? "…"} matching:`}
          </span>
          {actions.map((a) => (
            <Button
              key={a}
              size="sm"
              variant={a === "cancel" ? "secondary" : "secondary"}
              disabled={!selected.length && !matching}
              onClick={() => onBulk(a, selected.length ? { ids: selected } : byFilter)}
            >
              {a === "retry" ? "Retry" : a === "cancel" ? "Cancel" : "Reassign"}
            </Button>
          ))}
          {selected.length > 0 && (
            <Button size="sm" variant="ghost" onClick={() => setPicked(new Set())}>
              Clear selection
            </Button>
          )}
        </div>
      )}
      <QueryError error={list.error} what="the tasks" className="m-4" />
      {list.isPending ? (
        <Skeletons count={3} row="h-12" className="space-y-2 p-4" />
      ) : tasks.length === 0 ? (
        <EmptyState title="No tasks match">
          Clear the search or pick another state or agent. New tasks appear here as they are created.
        </EmptyState>
      ) : (
        <ol className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {tasks.map((t, i) => (
            <li
              key={t.id}
              data-task={t.id}
              data-state={t.state}
              className="flex items-start gap-3 px-4 py-3 hover:bg-zinc-50 dark:hover:bg-zinc-800/40"
            >
              {canBulk && (
                <input
                  type="checkbox"
                  className="mt-1 size-4 shrink-0 accent-indigo-600"
                  aria-label={`Select ${t.title}`}
                  checked={picked.has(t.id)}
                  onChange={() => toggle(t.id)}
                />
              )}
              {state === "pending" && (
                <span
                  className="mt-0.5 w-8 shrink-0 text-right text-sm text-zinc-600 tabular-nums dark:text-zinc-400"
                  title="Place in claim order"
                >
                  {i + 1}.
                </span>
              )}
              <div className="min-w-0 flex-1">
                <Link
                  href={`/queue/${t.id}`}
                  data-task-link
                  className="block truncate text-sm font-medium text-zinc-900 hover:underline focus-visible:underline dark:text-zinc-100"
                >
                  {t.title}
                </Link>
                <div className="mt-1 flex flex-wrap items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400">
                  <StateBadge state={t.state} />
                  <span className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono dark:bg-zinc-800">{t.type}</span>
                  <TaskFlags task={t} />
                  <span className="font-mono">
                    {(t.state === "in_progress" ? t.claimedBy : t.assignee) ?? "unassigned"}
                  </span>
                  {attemptsText(t) && <span className="tabular-nums">{attemptsText(t)}</span>}
                  {typeof t.outcome?.summary === "string" && (
                    <span className="max-w-full truncate sm:max-w-md">— {t.outcome.summary}</span>
                  )}
                </div>
              </div>
              <span className="hidden shrink-0 text-xs text-zinc-600 sm:block dark:text-zinc-400">
                <RelativeTime iso={t.completedAt ?? t.createdAt} />
              </span>
            </li>
          ))}
        </ol>
      )}
      {list.hasNextPage && (
        <div className="border-t border-zinc-200 p-3 text-center dark:border-zinc-800">
          <Button variant="secondary" size="sm" loading={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>
            Show {PAGE} more
          </Button>
        </div>
      )}
    </section>
  );
}
