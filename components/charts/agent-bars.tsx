"use client";
// One horizontal bar chart per agent (Recharts): the shape the Analytics page's agent charts share. The caller
// gives the bars; the frame, axes and tooltip are the same everywhere.
import type { ReactNode } from "react";
import { BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

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
export const axis = { fontSize: 11, stroke: "currentColor" } as const;
export const tooltip = { contentStyle: { fontSize: 12, color: "#18181b" } } as const;

export function AgentBars<R extends { agent: string }>({
  rows,
  format,
  domain,
  legend = false,
  children,
}: {
  rows: R[];
  /** How values read on the axis and in the tooltip (plain numbers when absent). */
  format?: (value: number) => string;
  domain?: [number, number | "auto"];
  legend?: boolean;
  children: ReactNode;
}) {
  return (
    <div style={{ height: Math.max(200, rows.length * 36 + (legend ? 70 : 40)) }} aria-hidden>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart
          accessibilityLayer={false}
          data={rows}
          layout="vertical"
          margin={{ left: 8, right: legend ? 16 : 24, top: 4, bottom: 4 }}
        >
          <CartesianGrid horizontal={false} strokeOpacity={0.15} />
          <XAxis
            type="number"
            {...(domain ? { domain } : {})}
            {...(format ? { tickFormatter: format } : {})}
            {...axis}
          />
          <YAxis type="category" dataKey="agent" width={100} {...axis} />
          <Tooltip {...(format ? { formatter: (v) => format(Number(v)) } : {})} {...tooltip} />
          {legend && <Legend wrapperStyle={{ fontSize: 11 }} itemSorter={null} />}
          {children}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
