// Rules page: auto-scheduling rules and the "what would happen" preview.
import type { Metadata } from "next";
import { currentActor } from "@/lib/auth/options";
import { getPrisma } from "@/lib/db/client";
import { listAgents } from "@/lib/agents/service";
import { listScheduleRules } from "@/lib/scheduling/rules";
import { RulesView } from "@/components/rules/rules-view";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Rules" };

export default async function RulesPage() {
  const db = getPrisma();
  const [actor, rules, agents] = await Promise.all([currentActor(), listScheduleRules(db), listAgents(db)]);
  return (
    <>
      <PageHeader
        title="Rules"
        description="Auto-scheduling: the next piece of work is waiting before anyone asks for it."
      />
      <RulesView initial={rules} agents={agents.map((a) => a.name)} canEdit={actor?.role === "admin"} />
    </>
  );
}
