// Overview: the federation at a glance. It grows KPIs as the queue, votes and analytics arrive.
import Link from "next/link";
import { getPrisma } from "@/lib/db/client";
import { listAgents } from "@/lib/agents/service";
import { listEvents } from "@/lib/audit/service";
import { AGENT_STATUSES } from "@/lib/agents/schema";
import { AgentStatusBadge } from "@/components/agents/status-badge";
import { EventList } from "@/components/log/event-list";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/feedback";
import { PageHeader } from "@/components/ui/page-header";

export default async function OverviewPage() {
  const db = getPrisma();
  const [agents, recent] = await Promise.all([listAgents(db), listEvents(db, { limit: 8 })]);
  return (
    <>
      <PageHeader title="Overview" description="The federation at a glance." />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {AGENT_STATUSES.map((status) => (
          <Card key={status} className="p-5">
            <AgentStatusBadge status={status} />
            <p className="mt-3 text-3xl font-semibold tabular-nums">{agents.filter((a) => a.status === status).length}</p>
            <p className="text-sm text-zinc-500 dark:text-zinc-400">agents</p>
          </Card>
        ))}
      </div>
      <Card className="mt-6">
        <CardHeader title="Recent activity" actions={<Link href="/log" className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">Full log</Link>} />
        {recent.items.length ? <EventList events={recent.items} /> : <EmptyState title="Nothing has happened yet" />}
      </Card>
    </>
  );
}
