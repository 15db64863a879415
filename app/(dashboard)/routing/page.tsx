// Routing page: the explainer and the v1 rules editor.
import type { Metadata } from "next";
import { currentActor } from "@/lib/auth/options";
import { getPrisma } from "@/lib/db/client";
import { listAgents } from "@/lib/agents/service";
import { modelInfo } from "@/lib/routing/state";
import { RouteExplainer } from "@/components/routing/route-explainer";
import { RulesEditor } from "@/components/routing/rules-editor";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Routing" };

export default async function RoutingPage() {
  const db = getPrisma();
  const [actor, agents, model] = await Promise.all([currentActor(), listAgents(db), modelInfo(db)]);
  return (
    <>
      <PageHeader
        title="Routing"
        description={`Why work goes where it goes. The ML model has learnt from ${model.samples} outcome${model.samples === 1 ? "" : "s"} (${model.vocabularySize} terms).`}
      />
      <div className="space-y-8">
        <RouteExplainer />
        <RulesEditor agents={agents.map((a) => a.name)} canEdit={actor?.role === "admin"} />
      </div>
    </>
  );
}
