"use client";
// The Analytics page's heat map: who is good at what, each cell as pale as the few outcomes it rests on.
import { ChartCard } from "@/components/charts/chart-card";
import { DataTable } from "@/components/ui/data-table";
import type { ChartsDto } from "@/lib/analytics/charts";
import { percent } from "./queries";

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
        <DataTable
          label="Success by agent and task type (table)"
          rows={cells}
          rowKey={(c) => `${c.agent}/${c.taskType}`}
          columns={[
            { header: "Agent", cell: (c) => c.agent },
            { header: "Task type", cell: (c) => c.taskType },
            { header: "Tasks", numeric: true, cell: (c) => c.tasks },
            { header: "Rate", numeric: true, cell: (c) => percent(c.successRate) },
            { header: "Rating", numeric: true, cell: (c) => c.rating.toFixed(2) },
          ]}
        />
      }
    />
  );
}
