"use client";
// The Analytics page's charts (Recharts), each with the same numbers as a table.
import {
  Bar,
  BarChart,
  CartesianGrid,
  ErrorBar,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { ChartCard } from "@/components/charts/chart-card";
import { Table, Tbody, Td, Th } from "@/components/ui/table";
import type { ChartsDto } from "@/lib/analytics/charts";
import { minutes, percent, percentOver } from "./queries";

export const PALETTE = [
  "#6366f1",
  "#10b981",
  "#f59e0b",
  "#ef4444",
  "#0ea5e9",
  "#a855f7",
  "#14b8a6",
  "#f97316",
  "#64748b",
  "#ec4899",
];
const axis = { fontSize: 11, stroke: "currentColor" } as const;
const tooltip = { contentStyle: { fontSize: 12, color: "#18181b" } } as const;

export function SuccessByAgent({ data, loading }: { data?: ChartsDto; loading: boolean }) {
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
        <div style={{ height: Math.max(200, rows.length * 36 + 40) }} aria-hidden>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart
              accessibilityLayer={false}
              data={rows}
              layout="vertical"
              margin={{ left: 8, right: 24, top: 4, bottom: 4 }}
            >
              <CartesianGrid horizontal={false} strokeOpacity={0.15} />
              <XAxis type="number" domain={[0, 1]} tickFormatter={percent} {...axis} />
              <YAxis type="category" dataKey="agent" width={100} {...axis} />
              <Tooltip formatter={(v) => percent(Number(v))} {...tooltip} />
              <Bar dataKey="rate" name="success rate" fill="#6366f1" isAnimationActive={false}>
                <ErrorBar dataKey="err" width={6} strokeWidth={1.5} stroke="currentColor" direction="x" />
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
      }
      table={
        <Table aria-label="Success rate by agent">
          <thead>
            <tr>
              <Th>Agent</Th>
              <Th className="text-right">Tasks</Th>
              <Th className="text-right">Succeeded</Th>
              <Th className="text-right">Rate</Th>
              <Th className="text-right">95% interval</Th>
            </tr>
          </thead>
          <Tbody>
            {rows.map((a) => (
              <tr key={a.agent}>
                <Td>{a.agent}</Td>
                <Td className="text-right tabular-nums">{a.tasks}</Td>
                <Td className="text-right tabular-nums">{a.successes}</Td>
                <Td className="text-right tabular-nums">{percent(a.successRate)}</Td>
                <Td className="text-right tabular-nums">
                  {percent(a.interval[0])}–{percent(a.interval[1])}
                </Td>
              </tr>
            ))}
          </Tbody>
        </Table>
      }
    />
  );
}

/** Below this many outcomes a cell is drawn pale: a rate over a handful of outcomes says little. */
const SOLID_FROM = 8;

/**
 * A cell's colour: its success rate from red (0) through amber to green (1), at full strength only when it rests
 * on enough outcomes — fewer outcomes, paler cell (as the leaderboard's intervals widen). Solid cells are dark
 * enough for white text; pale ones keep the page's text colour.
 */
export function heat(rate: number | null, samples: number): { background: string; solid: boolean } {
  if (rate === null || samples <= 0) return { background: "transparent", solid: false };
  const hue = Math.round(rate * 130);
  if (samples >= SOLID_FROM) return { background: `hsl(${hue} 72% 25%)`, solid: true };
  const strength = samples / (samples + 5);
  return { background: `hsl(${hue} 72% 25% / ${(0.12 + 0.4 * strength).toFixed(2)})`, solid: false };
}

export function Heatmap({ data, loading }: { data?: ChartsDto; loading: boolean }) {
  const cells = data?.matrix ?? [];
  const agents = [...new Set(cells.map((c) => c.agent))].sort();
  const types = [...new Set(cells.map((c) => c.taskType))].sort();
  const cell = (agent: string, type: string) => cells.find((c) => c.agent === agent && c.taskType === type);
  return (
    <ChartCard
      id="heatmap"
      title="Who is good at what"
      description="Success rate per agent and task type; the number is how many outcomes it rests on, and paler cells rest on fewer."
      loading={loading}
      empty={!cells.length && "No outcomes in this window"}
      chart={
        <div className="overflow-x-auto">
          <table
            className="w-full border-separate border-spacing-1 text-xs"
            aria-label="Success by agent and task type"
          >
            <thead>
              <tr>
                <th scope="col">
                  <span className="sr-only">Agent</span>
                </th>
                {types.map((t) => (
                  <th key={t} scope="col" className="px-1 pb-1 text-left font-medium text-zinc-600 dark:text-zinc-400">
                    {t}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <tr key={a}>
                  <th
                    scope="row"
                    className="pr-2 text-left font-medium whitespace-nowrap text-zinc-700 dark:text-zinc-300"
                  >
                    {a}
                  </th>
                  {types.map((t) => {
                    const c = cell(a, t);
                    const h = heat(c ? c.successRate : null, c?.tasks ?? 0);
                    return (
                      <td
                        key={t}
                        title={c ? `${a} on ${t}: ${percent(c.successRate)} of ${c.tasks}` : `${a} has done no ${t}`}
                        data-samples={c?.tasks ?? 0}
                        className={`h-9 min-w-14 rounded text-center font-medium tabular-nums ${h.solid ? "text-white" : "text-zinc-900 dark:text-zinc-100"}`}
                        style={{ background: h.background }}
                      >
                        {c ? (
                          <>
                            {percent(c.successRate)}
                            <span className="block text-[10px] font-normal">{c.tasks}</span>
                          </>
                        ) : (
                          <span className="text-zinc-600 dark:text-zinc-400">·</span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      }
      table={
        <Table aria-label="Success by agent and task type (table)">
          <thead>
            <tr>
              <Th>Agent</Th>
              <Th>Task type</Th>
              <Th className="text-right">Tasks</Th>
              <Th className="text-right">Rate</Th>
              <Th className="text-right">Rating</Th>
            </tr>
          </thead>
          <Tbody>
            {cells.map((c) => (
              <tr key={`${c.agent}/${c.taskType}`}>
                <Td>{c.agent}</Td>
                <Td>{c.taskType}</Td>
                <Td className="text-right tabular-nums">{c.tasks}</Td>
                <Td className="text-right tabular-nums">{percent(c.successRate)}</Td>
                <Td className="text-right tabular-nums">{c.rating.toFixed(2)}</Td>
              </tr>
            ))}
          </Tbody>
        </Table>
      }
    />
  );
}

export function Durations({ data, loading }: { data?: ChartsDto; loading: boolean }) {
  const buckets = data?.durations.buckets ?? [];
  const rows = (data?.durations.agents ?? []).map((a) => ({
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
        <div style={{ height: Math.max(200, rows.length * 36 + 70) }} aria-hidden>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart
              accessibilityLayer={false}
              data={rows}
              layout="vertical"
              margin={{ left: 8, right: 16, top: 4, bottom: 4 }}
            >
              <CartesianGrid horizontal={false} strokeOpacity={0.15} />
              <XAxis type="number" {...axis} />
              <YAxis type="category" dataKey="agent" width={100} {...axis} />
              <Tooltip {...tooltip} />
              <Legend wrapperStyle={{ fontSize: 11 }} itemSorter={null} />
              {buckets.map((b, i) => (
                <Bar key={b} dataKey={b} stackId="d" fill={PALETTE[i % PALETTE.length]} isAnimationActive={false} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      }
      table={
        <Table aria-label="Durations">
          <thead>
            <tr>
              <Th>Agent</Th>
              {buckets.map((b) => (
                <Th key={b} className="text-right">
                  {b}
                </Th>
              ))}
            </tr>
          </thead>
          <Tbody>
            {(data?.durations.agents ?? []).map((a) => (
              <tr key={a.agent}>
                <Td>{a.agent}</Td>
                {a.buckets.map((n, i) => (
                  <Td key={i} className="text-right tabular-nums">
                    {n}
                  </Td>
                ))}
              </tr>
            ))}
          </Tbody>
        </Table>
      }
    />
  );
}

export function Rework({ data, loading }: { data?: ChartsDto; loading: boolean }) {
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
        <div style={{ height: Math.max(200, rows.length * 36 + 40) }} aria-hidden>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart
              accessibilityLayer={false}
              data={rows}
              layout="vertical"
              margin={{ left: 8, right: 24, top: 4, bottom: 4 }}
            >
              <CartesianGrid horizontal={false} strokeOpacity={0.15} />
              <XAxis type="number" domain={[0, "auto"]} tickFormatter={percent} {...axis} />
              <YAxis type="category" dataKey="agent" width={100} {...axis} />
              <Tooltip formatter={(v) => percent(Number(v))} {...tooltip} />
              <Bar dataKey="rework" name="rework rate" fill="#f59e0b" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      }
      table={
        <Table aria-label="Rework rate">
          <thead>
            <tr>
              <Th>Agent</Th>
              <Th className="text-right">Tasks</Th>
              <Th className="text-right">Rework rate</Th>
              <Th className="text-right">Average duration</Th>
            </tr>
          </thead>
          <Tbody>
            {rows.map((r) => (
              <tr key={r.agent}>
                <Td>{r.agent}</Td>
                <Td className="text-right tabular-nums">{r.tasks}</Td>
                <Td className="text-right tabular-nums">{percent(r.rework)}</Td>
                <Td className="text-right tabular-nums">{minutes(r.avg)}</Td>
              </tr>
            ))}
          </Tbody>
        </Table>
      }
    />
  );
}

export function Trends({ data, loading }: { data?: ChartsDto; loading: boolean }) {
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
        <Table aria-label="Success over time">
          <thead>
            <tr>
              <Th>Day</Th>
              <Th>Agent</Th>
              <Th className="text-right">Tasks</Th>
              <Th className="text-right">Rate</Th>
            </tr>
          </thead>
          <Tbody>
            {points.map((p) => (
              <tr key={`${p.day}/${p.agent}`}>
                <Td className="tabular-nums">{p.day}</Td>
                <Td>{p.agent}</Td>
                <Td className="text-right tabular-nums">{p.tasks}</Td>
                <Td className="text-right tabular-nums">{percentOver(p.successRate, p.tasks)}</Td>
              </tr>
            ))}
          </Tbody>
        </Table>
      }
    />
  );
}
