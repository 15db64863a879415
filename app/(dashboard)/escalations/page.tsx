// Escalations page: the orchestrator's inbox.
import type { Metadata } from "next";
import { currentActor } from "@/lib/auth/options";
import { getPrisma } from "@/lib/db/client";
import { listAgents } from "@/lib/agents/service";
import { EscalationInbox } from "@/components/escalations/inbox";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Escalations" };

export default async function EscalationsPage() {
  const [actor, agents] = await Promise.all([currentActor(), listAgents(getPrisma())]);
  return (
    <>
      <PageHeader
        title="Escalations"
        description="What the agents could not settle, with everything needed to decide it. The suggestion is preselected: press a to accept it, ? for every key."
      />
      <EscalationInbox
        agents={agents.filter((a) => a.status === "active").map((a) => a.name)}
        canDecide={actor?.role === "admin"}
      />
    </>
  );
}
