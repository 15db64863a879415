"use client";
// One agent's figures: totals with the interval, by task type, the trend, and its recent work.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Bar, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartCard } from "@/components/charts/chart-card";
import { analyticsKeys, fetchAgentAnalytics, minutes, percent, percentOver } from "@/components/analytics/queries";
import { IntervalBar } from "@/components/analytics/leaderboard";
import { useWindow, WindowSwitch } from "@/components/analytics/window-switch";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState, QueryError, Skeleton } from "@/components/ui/feedback";
import { Table, Tbody, Td, Thead } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/time";

export function AgentAnalytics({ agent }: { agent: string }) {
  const window = useWindow();
  const q = useQuery({
    queryKey: analyticsKeys.agent(agent, window),
    queryFn: () => fetchAgentAnalytics(agent, window),
    placeholderData: (p) => p,
  });
  const a = q.data;
  return (
    <section aria-label={`${agent}'s figures`} className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-sm font-semibold text-zinc-800 dark:text-zinc-200">Performance</h2>
        <WindowSwitch />
      </div>
      <QueryError error={q.error} what="the figures" />
      {!a ? (
        <Skeleton className="h-28" />
      ) : (
        <Card className="grid gap-4 p-5 sm:grid-cols-2 lg:grid-cols-5" data-testid="agent-figures">
          {[
            ["Tasks", a.tasks.toLocaleString("en")],
            ["Success rate", a.tasks ? percent(a.successRate) : "—"],
            ["Median time", minutes(a.medianDurationMinutes)],
            ["Average time", minutes(a.avgDurationMinutes)],
            ["Rework", a.tasks ? percent(a.reworkRate) : "—"],
          ].map(([label, value]) => (
            <div key={label}>
              <p className="text-xs font-medium text-zinc-600 dark:text-zinc-400">{label}</p>
              <p className="mt-1 text-2xl font-semibold tabular-nums">{value}</p>
            </div>
          ))}
          <div className="sm:col-span-2 lg:col-span-5 flex items-center gap-3 text-xs text-zinc-600 dark:text-zinc-400">
            <IntervalBar item={a} /> 95% interval {percent(a.interval[0])}–{percent(a.interval[1])} · rating{" "}
            {a.rating.toFixed(2)}
          </div>
        </Card>
      )}
      <ChartCard
        id="agent-trend"
        title="Trend"
        description="Outcomes a day and their success rate."
        loading={q.isPending}
        empty={a && !a.trend.length && "No outcomes in this window"}
        chart={
          <div style={{ height: 220 }} aria-hidden>
            <ResponsiveContainer width="100%" height="100%">
              <ComposedChart
                accessibilityLayer={false}
                data={a?.trend ?? []}
                margin={{ left: 0, right: 8, top: 8, bottom: 4 }}
              >
                <CartesianGrid strokeOpacity={0.15} />
                <XAxis dataKey="at" fontSize={11} stroke="currentColor" tickFormatter={(d: string) => d.slice(5, 10)} />
                <YAxis yAxisId="n" fontSize={11} stroke="currentColor" width={36} />
                <YAxis
                  yAxisId="r"
                  orientation="right"
                  domain={[0, 1]}
                  tickFormatter={percent}
                  fontSize={11}
                  stroke="currentColor"
                  width={40}
                />
                <Tooltip contentStyle={{ fontSize: 12, color: "#18181b" }} />
                <Bar yAxisId="n" dataKey="tasks" fill="#c7d2fe" isAnimationActive={false} />
                <Line
                  yAxisId="r"
                  dataKey="successRate"
                  stroke="#4f46e5"
                  strokeWidth={2}
                  dot={false}
                  isAnimationActive={false}
                />
              </ComposedChart>
            </ResponsiveContainer>
          </div>
        }
        table={
          <Table aria-label="Trend">
            <Thead columns={["Day", "Tasks", "Rate"]} numeric={["Tasks", "Rate"]} />
            <Tbody>
              {(a?.trend ?? []).map((p) => (
                <tr key={p.at}>
                  <Td className="tabular-nums">{p.at.slice(0, 10)}</Td>
                  <Td className="text-right tabular-nums">{p.tasks}</Td>
                  <Td className="text-right tabular-nums">{percentOver(p.successRate, p.tasks)}</Td>
                </tr>
              ))}
            </Tbody>
          </Table>
        }
      />
      <Card>
        <CardHeader title="By task type" />
        {a && a.byTaskType.length ? (
          <Table aria-label="By task type">
            <Thead
              columns={["Type", "Tasks", "Rate", "Interval", "Avg time", "Rework"]}
              numeric={["Tasks", "Rate", "Avg time", "Rework"]}
            />
            <Tbody>
              {a.byTaskType.map((t) => (
                <tr key={t.taskType}>
                  <Td>
                    <Link
                      href={`/analytics/leaderboard?taskType=${t.taskType}&window=${window}`}
                      className="hover:underline"
                    >
                      {t.taskType}
                    </Link>
                  </Td>
                  <Td className="text-right tabular-nums">{t.tasks}</Td>
                  <Td className="text-right tabular-nums">{percent(t.successRate)}</Td>
                  <Td>
                    <IntervalBar item={t} />
                  </Td>
                  <Td className="text-right tabular-nums">{minutes(t.avgDurationMinutes)}</Td>
                  <Td className="text-right tabular-nums">{percent(t.reworkRate)}</Td>
                </tr>
              ))}
            </Tbody>
          </Table>
        ) : (
          <EmptyState title="Nothing in this window" />
        )}
      </Card>
      <Card>
        <CardHeader title="Recent work" />
        {a && a.recent.length ? (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Recent work">
            {a.recent.map((r, i) => (
              <li
                key={i}
                className="grid grid-cols-[auto_1fr] items-start gap-x-2 gap-y-0.5 px-5 py-2.5 text-sm sm:flex sm:items-center"
              >
                <Badge tone={r.success ? "green" : "red"}>{r.success ? "succeeded" : "failed"}</Badge>
                {/* The whole title, wrapped on a phone; one line with an ellipsis where there is room for the rest. */}
                {r.taskId ? (
                  <Link
                    href={`/queue/${r.taskId}`}
                    className="min-w-0 break-words hover:underline sm:flex-1 sm:truncate"
                    data-testid="recent-title"
                  >
                    {r.description ?? r.taskId}
                  </Link>
                ) : (
                  <span className="min-w-0 break-words sm:flex-1 sm:truncate" data-testid="recent-title">
                    {r.description ?? r.taskType}
                  </span>
                )}
                <span className="col-start-2 text-xs text-zinc-600 dark:text-zinc-400">
                  {r.taskType} · {minutes(r.durationMinutes)}
                  {r.rework ? " · rework" : ""} · <RelativeTime iso={r.at} />
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState title="No recorded work yet" />
        )}
      </Card>
    </section>
  );
}
