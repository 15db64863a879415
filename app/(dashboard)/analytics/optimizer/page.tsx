// The optimizer: suggestions with evidence, apply (admin) and undo.
import type { Metadata } from "next";
import { OptimizerView } from "@/components/analytics/optimizer-view";
import { currentActor } from "@/lib/auth/options";

export const metadata: Metadata = { title: "Optimizer" };

export default async function OptimizerPage() {
  const actor = await currentActor();
  return <OptimizerView canApply={actor?.role === "admin"} />;
}
