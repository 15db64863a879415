"use client";
// The Overview: the seed's four phase KPIs against their targets, totals, queue depth, top performers and live
// activity, for the window in the URL, refreshed every two seconds.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { EventList } from "@/components/log/event-list";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState, QueryError, Skeleton } from "@/components/ui/feedback";
import { api } from "@/lib/client/api";
import type { EventDto } from "@/lib/audit/schema";
import type { DashboardDto } from "@/lib/analytics/schema";
import type { TimeWindow } from "@/lib/analytics/window";
import { useTaskCounts } from "@/components/queue/use-counts";
import { KpiCard } from "./kpi-card";
import { analyticsKeys, fetchDashboard, percent, percentOver } from "./queries";
import { GettingStarted } from "./getting-started";
import { useWindow, WindowSwitch } from "./window-switch";
import { logKeys } from "@/components/live/keys";

function Stat({
  label,
  value,
  detail,
  href,
  testId,
}: {
  label: string;
  value: React.ReactNode;
  detail?: React.ReactNode;
  href?: string;
  testId?: string;
}) {
  const body = (
    <>
      <p className="text-sm font-medium text-zinc-600 dark:text-zinc-400">{label}</p>
      <p className="mt-2 text-3xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </p>
      {detail && <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{detail}</p>}
    </>
  );
  return (
    <Card className="p-5">
      {href ? (
        <Link href={href} className="block">
          {body}
        </Link>
      ) : (
        body
      )}
    </Card>
  );
}

export function OverviewDashboard({ initial, initialWindow }: { initial: DashboardDto; initialWindow: TimeWindow }) {
  const window = useWindow(initialWindow);
  const dash = useQuery({
    queryKey: analyticsKeys.dashboard(window),
    queryFn: () => fetchDashboard(window),
    initialData: window === initialWindow ? initial : undefined,
    placeholderData: (p) => p,
  });
  const events = useQuery({
    queryKey: logKeys.recent,
    queryFn: () => api<{ items: EventDto[] }>("/log?limit=8").then((r) => r.items),
  });
  // Queue depth from the same query as the navigation badge and the board, so the three always agree.
  const q = useTaskCounts().data;
  const d = dash.data;
  const k = d?.kpis;
  // Until the federation has any work, the figures would all be "—": say how to start instead.
  const empty = q !== undefined && q.total === 0 && d !== undefined && d.totalTasks === 0;
  if (empty) return <GettingStarted />;
  return (
    <>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-sm font-semibold text-zinc-800 dark:text-zinc-200">Phase KPIs</h2>
        <WindowSwitch fallback={initialWindow} />
      </div>
      <QueryError error={dash.error} what="the figures" className="mb-4" />
      {!k ? (
        <Skeleton className="mb-6 h-32" />
      ) : (
        <div className="mb-6 grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
          <KpiCard
            id="auto-scheduled"
            title="Auto-scheduled share"
            kpi={k.autoScheduledShare}
            format={percent}
            target="≥ 50%"
            detail={`${k.autoScheduledShare.samples} tasks created`}
          />
          <KpiCard
            id="vote-resolution"
            title="Votes settled without a person"
            kpi={k.voteResolutionRate}
            format={percent}
            target="≥ 80%"
            detail={`${k.voteResolutionRate.samples} resolved votes`}
          />
          <KpiCard
            id="routing-accuracy"
            title="Routing accuracy"
            kpi={k.routingAccuracy}
            format={percent}
            target="> 92%"
            detail={`${k.routingAccuracy.samples} routed tasks, ${k.routingAccuracy.fallbackSaved} saved by a fallback; agrees with the best agent ${percentOver(k.routingAccuracy.agreement, k.routingAccuracy.samples)}`}
          />
          <KpiCard
            id="handoffs"
            title="Human handoffs a day"
            kpi={k.handoffsPerDay}
            format={(v) => v.toFixed(1)}
            target="< 3"
            detail="escalations and reassignments by hand"
          />
        </div>
      )}
      <div className="mb-6 grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <Stat
          label="Outcomes"
          testId="total-tasks"
          value={d ? d.totalTasks.toLocaleString("en") : "…"}
          detail={d ? (d.totalTasks ? `${percent(d.successRate)} succeeded` : "none in this window") : undefined}
        />
        <Stat
          label="Active agents"
          testId="active-agents"
          value={d?.activeAgents ?? "…"}
          detail={
            d
              ? `${d.agentsWithOutcomes} with outcomes, across ${d.taskTypes} task type${d.taskTypes === 1 ? "" : "s"}`
              : undefined
          }
          href="/agents"
        />
        <Stat
          label="Waiting"
          testId="pending-count"
          value={q ? q.pending.toLocaleString("en") : "…"}
          detail={q ? `${q.in_progress} in progress · ${q.failed} failed` : undefined}
          href="/queue"
        />
        <Stat
          label="Completed"
          testId="completed-count"
          value={q ? q.completed.toLocaleString("en") : "…"}
          detail={q ? `${q.cancelled} cancelled` : undefined}
          href="/queue"
        />
      </div>
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        <Card>
          <CardHeader
            title="Top performers"
            description="Ranked by rating: the low end of the 95% interval."
            actions={
              <Link
                href={`/analytics/leaderboard?window=${window}`}
                className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300"
              >
                Leaderboard
              </Link>
            }
          />
          {d && d.topPerformers.length ? (
            <ol className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Top performers">
              {d.topPerformers.map((p, i) => (
                <li key={p.agent} className="flex items-center gap-3 px-5 py-2.5 text-sm">
                  <span className="w-4 text-zinc-600 dark:text-zinc-400 tabular-nums">{i + 1}</span>
                  <Link href={`/agents/${p.agent}`} className="w-28 truncate font-medium hover:underline">
                    {p.agent}
                  </Link>
                  <span className="tabular-nums">{percent(p.successRate)}</span>
                  <span className="text-xs text-zinc-600 dark:text-zinc-400">{p.tasks} tasks</span>
                  <span className="ml-auto text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
                    rating {p.rating.toFixed(2)}
                  </span>
                </li>
              ))}
            </ol>
          ) : (
            <EmptyState title="No outcomes yet">Completed tasks and recorded outcomes rank the agents here.</EmptyState>
          )}
        </Card>
        <Card>
          <CardHeader
            title="Live activity"
            actions={
              <Link href="/log" className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                Full log
              </Link>
            }
          />
          {events.data?.length ? <EventList events={events.data} /> : <EmptyState title="Nothing has happened yet" />}
        </Card>
      </div>
    </>
  );
}
