"use client";
// The Analytics page: success by agent with intervals, who is good at what, durations, rework and trends,
// for the window in the URL, refreshed while open.
import { useQuery } from "@tanstack/react-query";
import { QueryError } from "@/components/ui/feedback";
import { Durations, Rework, SuccessByAgent, Trends } from "./charts";
import { Heatmap } from "./heatmap";
import { analyticsKeys, fetchCharts, percentOver } from "./queries";
import { useWindow, WindowSwitch } from "./window-switch";

export function AnalyticsView() {
  const window = useWindow();
  const charts = useQuery({
    queryKey: analyticsKeys.charts(window),
    queryFn: () => fetchCharts(window),
    placeholderData: (prev) => prev,
  });
  const t = charts.data?.totals;
  return (
    <>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-zinc-700 dark:text-zinc-300" data-testid="analytics-totals">
          {t
            ? `${t.outcomes.toLocaleString("en")} outcomes · ${percentOver(t.outcomes ? t.successes / t.outcomes : 0, t.outcomes)} succeeded · ${t.agents} agents · ${t.taskTypes} task types`
            : " "}
        </p>
        <WindowSwitch />
      </div>
      <QueryError error={charts.error} what="the charts" className="mb-4" />
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <SuccessByAgent data={charts.data} loading={charts.isPending} />
        <div className="xl:col-span-2">
          <Heatmap data={charts.data} loading={charts.isPending} />
        </div>
        <Trends data={charts.data} loading={charts.isPending} />
        <Durations data={charts.data} loading={charts.isPending} />
        <Rework data={charts.data} loading={charts.isPending} />
      </div>
    </>
  );
}
