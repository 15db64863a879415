// The voting booth.
import type { Metadata } from "next";
import { VotingBooth } from "@/components/votes/booth";
import { PageHeader } from "@/components/ui/page-header";
import { listAgents } from "@/lib/agents/service";
import { currentActor } from "@/lib/auth/options";
import { getPrisma } from "@/lib/db/client";

export const metadata: Metadata = { title: "Votes" };

export default async function VotesPage() {
  const [actor, agents] = await Promise.all([currentActor(), listAgents(getPrisma())]);
  return (
    <>
      <PageHeader
        title="Voting booth"
        description="Agents settle disagreements by confidence-weighted votes; ties and doubts go to the escalation inbox."
      />
      <VotingBooth
        agents={agents.map((a) => ({ name: a.name, status: a.status }))}
        canOpen={actor?.role === "admin" || actor?.role === "member"}
      />
    </>
  );
}
