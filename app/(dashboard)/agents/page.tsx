// Agents page: the registry with status, fallback, capabilities and last seen.
import type { Metadata } from "next";
import { currentActor } from "@/lib/auth/options";
import { getPrisma } from "@/lib/db/client";
import { listAgents } from "@/lib/agents/service";
import { AgentsTable } from "@/components/agents/agents-table";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Agents" };

export default async function AgentsPage() {
  const actor = await currentActor();
  const agents = await listAgents(getPrisma());
  return (
    <>
      <PageHeader
        title="Agents"
        description="Who can take work, who stands in for whom, and when each was last seen."
      />
      <AgentsTable initial={agents} canEdit={actor?.role === "admin"} />
    </>
  );
}
