"use client";
// A chart in a card, with its table view one click away and an empty state when there is nothing to draw.
import { useState } from "react";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState, Skeleton } from "@/components/ui/feedback";

export function ChartCard({
  title,
  description,
  loading,
  empty,
  chart,
  table,
  id,
}: {
  title: string;
  description?: string;
  loading?: boolean;
  empty?: string | false;
  chart: React.ReactNode;
  table: React.ReactNode;
  id: string;
}) {
  const [view, setView] = useState<"chart" | "table">("chart");
  return (
    <Card data-chart={id}>
      <CardHeader
        title={title}
        description={description}
        actions={
          <div
            role="radiogroup"
            aria-label={`${title}: view`}
            className="inline-flex rounded-md border border-zinc-200 p-0.5 text-xs dark:border-zinc-800"
          >
            {(["chart", "table"] as const).map((v) => (
              <button
                key={v}
                role="radio"
                aria-checked={view === v}
                onClick={() => setView(v)}
                className={`rounded px-2 py-0.5 font-medium ${view === v ? "bg-zinc-900 text-white dark:bg-white dark:text-zinc-900" : "text-zinc-700 dark:text-zinc-300"}`}
              >
                {v === "chart" ? "Chart" : "Table"}
              </button>
            ))}
          </div>
        }
      />
      <div className="p-4 sm:p-5">
        {loading ? (
          <Skeleton className="h-56" />
        ) : empty ? (
          <EmptyState title={empty}>Change the time window, or run `npm run demo` for a sample history.</EmptyState>
        ) : view === "chart" ? (
          chart
        ) : (
          table
        )}
      </div>
    </Card>
  );
}
