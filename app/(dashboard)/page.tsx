// Overview: the federation at a glance. It grows KPIs as the queue, votes and analytics arrive.
import Link from "next/link";
import { getPrisma } from "@/lib/db/client";
import { listAgents } from "@/lib/agents/service";
import { listEvents } from "@/lib/audit/service";
import { AGENT_STATUSES } from "@/lib/agents/schema";
import { autoScheduledShare, handoffsPerDay, voteResolutionRate } from "@/lib/analytics/kpis";
import { windowStart } from "@/lib/analytics/window";
import { KpiCard } from "@/components/analytics/kpi-card";
import { countOpenEscalations } from "@/lib/escalations/service";
import { AgentStatusBadge } from "@/components/agents/status-badge";
import { EventList } from "@/components/log/event-list";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/feedback";
import { PageHeader } from "@/components/ui/page-header";

const percent = (v: number) => `${Math.round(v * 100)}%`;

export default async function OverviewPage() {
  const db = getPrisma();
  const [agents, recent, autoShare, votes, handoffs, openEscalations, queue] = await Promise.all([
    listAgents(db),
    listEvents(db, { limit: 8 }),
    autoScheduledShare(db),
    voteResolutionRate(db),
    handoffsPerDay(db, windowStart("7d")),
    countOpenEscalations(db),
    db.task.groupBy({ by: ["state"], _count: { _all: true } }),
  ]);
  const inState = (state: string) => queue.find((q) => q.state === state)?._count._all ?? 0;
  return (
    <>
      <PageHeader title="Overview" description="The federation at a glance." />
      <h2 className="mb-3 text-sm font-semibold text-zinc-700 dark:text-zinc-300">Phase KPIs</h2>
      <div className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <KpiCard
          id="auto-scheduled"
          title="Auto-scheduled share"
          kpi={autoShare}
          format={percent}
          target="≥ 50%"
          detail={`${autoShare.auto} of ${autoShare.total} tasks created by rules`}
        />
        <KpiCard
          id="vote-resolution"
          title="Votes settled without a person"
          kpi={votes}
          format={percent}
          target="≥ 80%"
          detail={`${votes.selfDecided} of ${votes.resolved} resolved votes`}
        />
        <KpiCard
          id="handoffs"
          title="Human handoffs a day"
          kpi={handoffs}
          format={(v) => v.toFixed(1)}
          target="< 3"
          detail={`${handoffs.escalations} escalations, ${handoffs.reassignments} reassignments in 7 days`}
        />
      </div>
      <div className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Card className="p-5">
          <p className="text-sm font-medium text-zinc-500 dark:text-zinc-400">Waiting</p>
          <p className="mt-2 text-3xl font-semibold tabular-nums">{inState("pending")}</p>
          <p className="mt-1 text-xs text-zinc-500">
            {inState("in_progress")} in progress ·{" "}
            <Link className="underline" href="/queue">
              queue
            </Link>
          </p>
        </Card>
        <Card className="p-5">
          <p className="text-sm font-medium text-zinc-500 dark:text-zinc-400">Completed</p>
          <p className="mt-2 text-3xl font-semibold tabular-nums">{inState("completed")}</p>
          <p className="mt-1 text-xs text-zinc-500">{inState("failed")} failed</p>
        </Card>
        <Card className="p-5">
          <p className="text-sm font-medium text-zinc-500 dark:text-zinc-400">Open escalations</p>
          <p className="mt-2 text-3xl font-semibold tabular-nums">{openEscalations}</p>
          <p className="mt-1 text-xs text-zinc-500">waiting for the orchestrator</p>
        </Card>
      </div>
      <h2 className="mb-3 text-sm font-semibold text-zinc-700 dark:text-zinc-300">Agents by status</h2>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {AGENT_STATUSES.map((status) => (
          <Card key={status} className="p-5">
            <AgentStatusBadge status={status} />
            <p className="mt-3 text-3xl font-semibold tabular-nums">
              {agents.filter((a) => a.status === status).length}
            </p>
            <p className="text-sm text-zinc-500 dark:text-zinc-400">agents</p>
          </Card>
        ))}
      </div>
      <Card className="mt-6">
        <CardHeader
          title="Recent activity"
          actions={
            <Link href="/log" className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
              Full log
            </Link>
          }
        />
        {recent.items.length ? <EventList events={recent.items} /> : <EmptyState title="Nothing has happened yet" />}
      </Card>
    </>
  );
}
