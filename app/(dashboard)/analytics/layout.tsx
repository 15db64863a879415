// The Analytics section: a header and its tabs around charts, leaderboard and optimizer.
import { Suspense } from "react";
import { AnalyticsNav } from "@/components/analytics/analytics-nav";
import { PageHeader } from "@/components/ui/page-header";

export default function AnalyticsLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <PageHeader
        title="Analytics"
        description="Who is good at what, with numbers that stay honest when an agent has done three tasks."
      />
      <Suspense>
        <AnalyticsNav />
        {children}
      </Suspense>
    </>
  );
}
