// One agent: its details, tokens (admin) and recent activity.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { currentActor } from "@/lib/auth/options";
import { getPrisma } from "@/lib/db/client";
import { getAgent, listAgents } from "@/lib/agents/service";
import { Suspense } from "react";
import { AgentAnalytics } from "@/components/agents/agent-analytics";
import { AgentSettings } from "@/components/agents/agent-settings";
import { orMissing } from "@/lib/errors";
import { AgentActivity } from "@/components/agents/agent-activity";
import { AgentStatusBadge, RateLimitCountdown } from "@/components/agents/status-badge";
import { AgentTokens } from "@/components/agents/agent-tokens";
import { FactList } from "@/components/ui/fact-list";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/time";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  return { title: `${(await params).name} · Agents` };
}

export default async function AgentPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const actor = await currentActor();
  const agent = await orMissing(getAgent(getPrisma(), name), notFound);
  const others =
    actor?.role === "admin" ? (await listAgents(getPrisma())).map((a) => a.name).filter((n) => n !== name) : [];
  const facts: [string, React.ReactNode][] = [
    [
      "Status",
      <span key="s" className="inline-flex items-center gap-2">
        <AgentStatusBadge status={agent.status} />
        <RateLimitCountdown until={agent.statusUntil} />
      </span>,
    ],
    [
      "Fallback",
      agent.fallback ? (
        <Link
          className="font-mono text-indigo-600 hover:underline dark:text-indigo-400"
          href={`/agents/${agent.fallback}`}
        >
          {agent.fallback}
        </Link>
      ) : (
        "—"
      ),
    ],
    ["Capabilities", agent.capabilities.join(", ") || "—"],
    ["Last seen", <RelativeTime key="l" iso={agent.lastSeenAt} />],
    ["Registered", <RelativeTime key="c" iso={agent.createdAt} />],
  ];
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">
        <Link href="/agents" className="hover:underline">
          Agents
        </Link>{" "}
        / <span className="font-mono">{agent.name}</span>
      </nav>
      <PageHeader title={agent.displayName} description={<span className="font-mono">{agent.name}</span>} />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="space-y-6 self-start lg:col-span-1">
          <FactList facts={facts} />
          {actor?.role === "admin" && <AgentSettings agent={agent} others={others} />}
        </div>
        <div className="space-y-6 lg:col-span-2">
          <Suspense>
            <AgentAnalytics agent={agent.name} />
          </Suspense>
          {actor?.role === "admin" && <AgentTokens agent={agent.name} />}
          <AgentActivity agent={agent.name} />
        </div>
      </div>
    </>
  );
}
