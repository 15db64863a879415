// Overview: the federation against the seed's phase targets, and what is happening now.
import { Suspense } from "react";
import { OverviewDashboard } from "@/components/analytics/overview-dashboard";
import { PageHeader } from "@/components/ui/page-header";
import { getPrisma } from "@/lib/db/client";
import { dashboard } from "@/lib/analytics/service";
import { DEFAULT_WINDOW, WINDOWS, windowStart, type TimeWindow } from "@/lib/analytics/window";

export default async function OverviewPage({ searchParams }: { searchParams: Promise<{ window?: string }> }) {
  const requested = (await searchParams).window;
  const window: TimeWindow = (WINDOWS as readonly string[]).includes(requested ?? "")
    ? (requested as TimeWindow)
    : DEFAULT_WINDOW;
  const initial = await dashboard(getPrisma(), windowStart(window));
  return (
    <>
      <PageHeader
        title="Overview"
        description="The federation against the seed's phase targets, and what is happening now."
      />
      <Suspense>
        <OverviewDashboard initial={initial} initialWindow={window} />
      </Suspense>
    </>
  );
}
