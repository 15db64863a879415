"use client";
// The queue console: a board (Pending in claim order and numbered, In progress, Completed, Failed) or a list of one
// state with bulk actions; full-text search and filters kept in the URL (a filtered view can be shared or
// bookmarked); CSV export of what the filter matches; keyboard: / search, j k move, enter open, ? shortcuts.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert, EmptyState, QueryError, Skeletons } from "@/components/ui/feedback";
import { Input, Select } from "@/components/ui/form";
import { queueKeys, type QueueFilters } from "@/components/live/keys";
import type { AgentDto } from "@/lib/agents/schema";
import type { BulkAction } from "@/lib/queue/bulk-states";
import type { BulkResult } from "@/lib/queue/bulk";
import { TASK_STATES, type TaskState } from "@/lib/queue/schema";
import type { CreateTaskResult } from "@/app/(dashboard)/queue/actions";
import { BulkDialog, type Selection } from "./bulk-dialog";
import { CreateTaskForm } from "./create-task-form";
import { fetchColumn } from "./queries";
import { stateLabel } from "./task-badges";
import { TaskCard } from "./task-card";
import { TaskList } from "./task-list";
import { filterParams, useTaskCounts } from "./use-counts";

const BOARD: TaskState[] = ["pending", "in_progress", "completed", "failed"];
const LIMIT: Record<TaskState, number> = { pending: 200, in_progress: 200, completed: 50, failed: 100, cancelled: 100 };
type View = "board" | "all" | TaskState;
const VIEWS: View[] = ["board", "all", ...TASK_STATES];

const EMPTY: Record<TaskState, string> = {
  pending: "Nothing waiting. New tasks and follow-ups land here.",
  in_progress: "Nobody is working. Agents claim from Pending.",
  completed: "Nothing finished yet.",
  failed: "Nothing has failed.",
  cancelled: "Nothing cancelled.",
};

function Column({ state, filters, count }: { state: TaskState; filters: QueueFilters; count: number | undefined }) {
  const column = useQuery({
    queryKey: queueKeys.column(state, filters),
    queryFn: () => fetchColumn(state, filters, LIMIT[state]),
  });
  const items = column.data?.items ?? [];
  const more = count !== undefined && count > items.length ? count - items.length : 0;
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
        <span
          data-testid={`count-${state}`}
          className="rounded-full bg-white px-2 py-0.5 text-xs font-medium text-zinc-700 tabular-nums ring-1 ring-zinc-200 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700"
        >
          {count === undefined ? "…" : count.toLocaleString("en")}
        </span>
      </header>
      <QueryError error={column.error} what="this column" className="m-2" />
      {column.isPending ? (
        <Skeletons count={2} row="h-20" className="space-y-2 p-2" />
      ) : items.length === 0 ? (
        <EmptyState title={`No ${stateLabel[state].toLowerCase()} tasks`}>{EMPTY[state]}</EmptyState>
      ) : (
        <ol className="space-y-2 overflow-y-auto p-2 lg:max-h-[calc(100vh-16rem)]">
          {items.map((t, i) => (
            <TaskCard key={t.id} task={t} position={state === "pending" ? i + 1 : undefined} />
          ))}
          {more > 0 && (
            <li className="px-1 py-2 text-center text-xs text-zinc-600 dark:text-zinc-400">
              and {more.toLocaleString("en")} more — open the {stateLabel[state]} list
            </li>
          )}
        </ol>
      )}
    </section>
  );
}

/** The filters and view in the URL: read on every render, written with replace (no history entry per keystroke). */
function useUrlState() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filters: QueueFilters = {
    q: params.get("q") ?? "",
    assignee: params.get("agent") ?? "",
    type: params.get("type") ?? "",
  };
  const requested = params.get("view") as View | null;
  const view: View = requested && VIEWS.includes(requested) ? requested : "board";
  const set = useCallback(
    (patch: Record<string, string>) => {
      const next = new URLSearchParams(params.toString());
      for (const [k, v] of Object.entries(patch)) {
        if (v && !(k === "view" && v === "board")) next.set(k, v);
        else next.delete(k);
      }
      const qs = next.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [params, router, pathname],
  );
  return { filters, view, set };
}

/** `/` search, `j`/`k` next/previous task, `enter` opens it (a focused link), `?` the list of shortcuts. */
function useShortcuts(search: React.RefObject<HTMLInputElement | null>, showHelp: () => void) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey || e.defaultPrevented) return;
      const target = e.target as HTMLElement;
      if (target.closest("input, textarea, select, [contenteditable], dialog")) return;
      if (e.key === "/") {
        e.preventDefault();
        search.current?.focus();
        search.current?.select();
      } else if (e.key === "?") {
        e.preventDefault();
        showHelp();
      } else if (e.key === "j" || e.key === "k") {
        const links = [...document.querySelectorAll<HTMLAnchorElement>("main [data-task-link], main [data-task] > a")];
        if (!links.length) return;
        e.preventDefault();
        const at = links.indexOf(document.activeElement as HTMLAnchorElement);
        const next = at === -1 ? 0 : Math.min(links.length - 1, Math.max(0, at + (e.key === "j" ? 1 : -1)));
        links[next]!.focus();
        links[next]!.scrollIntoView({ block: "nearest" });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [search, showHelp]);
}

const SHORTCUTS: [string, string][] = [
  ["/", "Search"],
  ["j", "Next task"],
  ["k", "Previous task"],
  ["Enter", "Open the task"],
  ["?", "Show these shortcuts"],
  ["Esc", "Close a dialog, leave the search"],
];

export function QueueBoard({
  agents,
  canCreate,
  canBulk,
  createAction,
}: {
  agents: AgentDto[];
  canCreate: boolean;
  canBulk: boolean;
  createAction: (s: CreateTaskResult, f: FormData) => Promise<CreateTaskResult>;
}) {
  const queryClient = useQueryClient();
  const { filters, view, set } = useUrlState();
  const [q, setQ] = useState(filters.q);
  const [typed, setTyped] = useState(filters.type);
  const search = useRef<HTMLInputElement>(null);
  const [help, setHelp] = useState(false);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const [bulk, setBulk] = useState<{ action: BulkAction; selection: Selection } | null>(null);
  const [bulkDone, setBulkDone] = useState<BulkResult | null>(null);
  const counts = useTaskCounts(filters).data;
  const showHelp = useCallback(() => setHelp(true), []);
  useShortcuts(search, showHelp);

  // Typing waits a moment before it becomes the URL (and the query).
  useEffect(() => {
    if (q === filters.q && typed === filters.type) return;
    const t = setTimeout(() => set({ q, type: typed }), 250);
    return () => clearTimeout(t);
  }, [q, typed, filters.q, filters.type, set]);

  const onCreated = useCallback(
    (id: string) => {
      setCreating(false);
      setCreated(id);
      void queryClient.invalidateQueries({ queryKey: queueKeys.all });
    },
    [queryClient],
  );
  const exportParams = filterParams(filters);
  if (view !== "board" && view !== "all") exportParams.set("state", view);

  return (
    <>
      <div className="mb-4 flex flex-wrap items-end gap-3" role="search" aria-label="Filter tasks">
        <label className="w-full text-xs font-medium text-zinc-700 sm:w-auto dark:text-zinc-300">
          <span className="mb-1 block">
            Search <kbd className="ml-1 rounded border border-zinc-300 px-1 font-mono dark:border-zinc-700">/</kbd>
          </span>
          <Input
            ref={search}
            type="search"
            className="w-full sm:w-64"
            placeholder="Title, description, outcome"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onKeyDown={(e) => {
              // Esc leaves the search and keeps it: a search field's own Esc would clear it, and with it the
              // filter (on a slow machine the list changed under the next key — npm test's console flake).
              if (e.key !== "Escape") return;
              e.preventDefault();
              e.currentTarget.blur();
            }}
          />
        </label>
        <label className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
          <span className="mb-1 block">Agent</span>
          <Select className="w-40" value={filters.assignee} onChange={(e) => set({ agent: e.target.value })}>
            <option value="">All agents</option>
            <option value="none">Unassigned</option>
            {agents.map((a) => (
              <option key={a.name} value={a.name}>
                {a.name}
              </option>
            ))}
          </Select>
        </label>
        <label className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
          <span className="mb-1 block">Type</span>
          <Input className="w-36" placeholder="any" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </label>
        <label className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
          <span className="mb-1 block">Show</span>
          <Select className="w-40" value={view} onChange={(e) => set({ view: e.target.value })}>
            <option value="board">Board</option>
            <option value="all">All tasks (list)</option>
            {TASK_STATES.map((s) => (
              <option key={s} value={s}>
                {stateLabel[s]} (list)
              </option>
            ))}
          </Select>
        </label>
        <div className="flex flex-wrap items-center gap-2 sm:ml-auto">
          <a
            href={`/api/v1/tasks.csv?${exportParams}`}
            download
            className="inline-flex h-9 items-center rounded-md px-3 text-sm font-medium text-zinc-800 ring-1 ring-zinc-300 ring-inset hover:bg-zinc-50 dark:text-zinc-100 dark:ring-zinc-700 dark:hover:bg-zinc-800"
          >
            Export CSV
          </a>
          <Button variant="ghost" onClick={showHelp} aria-label="Keyboard shortcuts">
            <kbd className="font-mono">?</kbd>
          </Button>
          {canCreate && <Button onClick={() => setCreating(true)}>New task</Button>}
        </div>
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
      {bulkDone && (
        <Alert tone={bulkDone.stoppedAt ? "error" : "success"} className="mb-4">
          {bulkDone.done.toLocaleString("en")} task{bulkDone.done === 1 ? "" : "s"}{" "}
          {{ retry: "retried", cancel: "cancelled", reassign: "reassigned" }[bulkDone.action]}
          {bulkDone.skippedCount > 0 &&
            `; ${bulkDone.skippedCount} had moved on and were left as they are (${bulkDone.skipped[0]?.reason ?? ""})`}
          {bulkDone.stoppedAt &&
            `; stopped at ${bulkDone.stoppedAt} with ${bulkDone.failed} not done: ${bulkDone.error ?? ""}`}
          .
        </Alert>
      )}
      {view === "board" ? (
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-4">
          {BOARD.map((s) => (
            <Column key={s} state={s} filters={filters} count={counts?.[s]} />
          ))}
        </div>
      ) : (
        <TaskList
          key={`${view}:${JSON.stringify(filters)}`}
          state={view === "all" ? "" : view}
          filters={filters}
          matching={counts ? (view === "all" ? counts.total : counts[view]) : undefined}
          canBulk={canBulk}
          onBulk={(action, selection) => {
            setBulkDone(null);
            setBulk({ action, selection });
          }}
        />
      )}
      {bulk && (
        <BulkDialog
          action={bulk.action}
          selection={bulk.selection}
          agents={agents.map((a) => a.name)}
          onClose={() => setBulk(null)}
          onDone={(result) => {
            setBulk(null);
            setBulkDone(result);
          }}
        />
      )}
      <Dialog open={help} onClose={() => setHelp(false)} title="Keyboard shortcuts">
        <dl className="grid grid-cols-[5rem_1fr] gap-y-2 text-sm">
          {SHORTCUTS.map(([key, what]) => (
            <div key={key} className="contents">
              <dt>
                <kbd className="rounded border border-zinc-300 px-1.5 py-0.5 font-mono text-xs dark:border-zinc-700">
                  {key}
                </kbd>
              </dt>
              <dd className="text-zinc-700 dark:text-zinc-300">{what}</dd>
            </div>
          ))}
        </dl>
      </Dialog>
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
