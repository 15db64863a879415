"use client";
// The Analytics page's agent charts (Recharts), each with the same numbers as a table.
import {
  Bar,
  ErrorBar,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  CartesianGrid,
} from "recharts";
import { AgentBars, axis, PALETTE, tooltip } from "@/components/charts/agent-bars";
import { ChartCard } from "@/components/charts/chart-card";
import { DataTable } from "@/components/ui/data-table";
import type { ChartsDto } from "@/lib/analytics/charts";
import { minutes, percent, percentOver } from "./queries";

interface Props {
  data?: ChartsDto;
  loading: boolean;
}

export function SuccessByAgent({ data, loading }: Props) {
  const rows = (data?.agents ?? []).map((a) => ({
    ...a,
    rate: a.successRate,
    err: [a.successRate - a.interval[0], a.interval[1] - a.successRate],
  }));
  return (
    <ChartCard
      id="success-by-agent"
      title="Success rate by agent"
      description="Bars are the raw rate; whiskers the 95% Wilson interval — wide when an agent has done little."
      loading={loading}
      empty={!rows.length && "No outcomes in this window"}
      chart={
        <AgentBars rows={rows} format={percent} domain={[0, 1]}>
          <Bar dataKey="rate" name="success rate" fill="#6366f1" isAnimationActive={false}>
            <ErrorBar dataKey="err" width={6} strokeWidth={1.5} stroke="currentColor" direction="x" />
          </Bar>
        </AgentBars>
      }
      table={
        <DataTable
          label="Success rate by agent"
          rows={rows}
          rowKey={(a) => a.agent}
          columns={[
            { header: "Agent", cell: (a) => a.agent },
            { header: "Tasks", numeric: true, cell: (a) => a.tasks },
            { header: "Succeeded", numeric: true, cell: (a) => a.successes },
            { header: "Rate", numeric: true, cell: (a) => percent(a.successRate) },
            {
              header: "95% interval",
              numeric: true,
              cell: (a) => `${percent(a.interval[0])}–${percent(a.interval[1])}`,
            },
          ]}
        />
      }
    />
  );
}

export function Durations({ data, loading }: Props) {
  const buckets = data?.durations.buckets ?? [];
  const agents = data?.durations.agents ?? [];
  const rows = agents.map((a) => ({
    agent: a.agent,
    ...Object.fromEntries(buckets.map((b, i) => [b, a.buckets[i] ?? 0])),
  }));
  return (
    <ChartCard
      id="durations"
      title="How long work takes"
      description="Outcomes per agent by duration."
      loading={loading}
      empty={!rows.length && "No outcomes in this window"}
      chart={
        <AgentBars rows={rows} legend>
          {buckets.map((b, i) => (
            <Bar key={b} dataKey={b} stackId="d" fill={PALETTE[i % PALETTE.length]} isAnimationActive={false} />
          ))}
        </AgentBars>
      }
      table={
        <DataTable
          label="Durations"
          rows={agents}
          rowKey={(a) => a.agent}
          columns={[
            { header: "Agent", cell: (a) => a.agent },
            ...buckets.map((b, i) => ({
              header: b,
              numeric: true,
              cell: (a: (typeof agents)[number]) => a.buckets[i],
            })),
          ]}
        />
      }
    />
  );
}

export function Rework({ data, loading }: Props) {
  const rows = (data?.agents ?? []).map((a) => ({
    agent: a.agent,
    rework: a.reworkRate,
    tasks: a.tasks,
    avg: a.avgDurationMinutes,
  }));
  return (
    <ChartCard
      id="rework"
      title="Rework rate"
      description="Share of an agent's outcomes that needed rework."
      loading={loading}
      empty={!rows.length && "No outcomes in this window"}
      chart={
        <AgentBars rows={rows} format={percent} domain={[0, "auto"]}>
          <Bar dataKey="rework" name="rework rate" fill="#f59e0b" isAnimationActive={false} />
        </AgentBars>
      }
      table={
        <DataTable
          label="Rework rate"
          rows={rows}
          rowKey={(r) => r.agent}
          columns={[
            { header: "Agent", cell: (r) => r.agent },
            { header: "Tasks", numeric: true, cell: (r) => r.tasks },
            { header: "Rework rate", numeric: true, cell: (r) => percent(r.rework) },
            { header: "Average duration", numeric: true, cell: (r) => minutes(r.avg) },
          ]}
        />
      }
    />
  );
}

export function Trends({ data, loading }: Props) {
  const points = data?.trend ?? [];
  const agents = [...new Set(points.map((p) => p.agent))].sort();
  const days = [...new Set(points.map((p) => p.day))].sort();
  const rows = days.map((day) => ({
    day,
    ...Object.fromEntries(points.filter((p) => p.day === day).map((p) => [p.agent, p.successRate])),
  }));
  return (
    <ChartCard
      id="trends"
      title="Success over time"
      description="Each agent's daily success rate."
      loading={loading}
      empty={!points.length && "No outcomes in this window"}
      chart={
        <div style={{ height: 260 }} aria-hidden>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart accessibilityLayer={false} data={rows} margin={{ left: 0, right: 16, top: 8, bottom: 4 }}>
              <CartesianGrid strokeOpacity={0.15} />
              <XAxis dataKey="day" {...axis} tickFormatter={(d: string) => d.slice(5)} />
              <YAxis domain={[0, 1]} tickFormatter={percent} width={40} {...axis} />
              <Tooltip formatter={(v) => percent(Number(v))} {...tooltip} />
              <Legend wrapperStyle={{ fontSize: 11 }} itemSorter={null} />
              {agents.map((a, i) => (
                <Line
                  key={a}
                  dataKey={a}
                  stroke={PALETTE[i % PALETTE.length]}
                  dot={false}
                  strokeWidth={2}
                  connectNulls
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      }
      table={
        <DataTable
          label="Success over time"
          rows={points}
          rowKey={(p) => `${p.day}/${p.agent}`}
          columns={[
            { header: "Day", className: "tabular-nums", cell: (p) => p.day },
            { header: "Agent", cell: (p) => p.agent },
            { header: "Tasks", numeric: true, cell: (p) => p.tasks },
            { header: "Rate", numeric: true, cell: (p) => percentOver(p.successRate, p.tasks) },
          ]}
        />
      }
    />
  );
}
