"use client";
// Stacked horizontal bars of each agent's score parts (Recharts), with the same numbers as a table.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface ScoreRow {
  agent: string;
  rules: number;
  ml: number;
}

export function ScoreBars({ rows, highlight }: { rows: ScoreRow[]; highlight?: string | null }) {
  return (
    <figure>
      <div style={{ height: Math.max(180, rows.length * 38 + 60) }} aria-hidden>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            accessibilityLayer={false}
            data={rows}
            layout="vertical"
            margin={{ left: 8, right: 16, top: 8, bottom: 8 }}
          >
            <CartesianGrid horizontal={false} strokeOpacity={0.15} />
            <XAxis type="number" domain={[0, 1]} tickCount={6} fontSize={12} stroke="currentColor" />
            <YAxis
              type="category"
              dataKey="agent"
              width={90}
              fontSize={12}
              stroke="currentColor"
              tick={({ x, y, payload }) => (
                <text
                  x={x}
                  y={y}
                  dy={4}
                  textAnchor="end"
                  fontSize={12}
                  fontWeight={payload.value === highlight ? 700 : 400}
                  fill="currentColor"
                >
                  {payload.value}
                </text>
              )}
            />
            <Tooltip formatter={(v) => Number(v).toFixed(3)} contentStyle={{ fontSize: 12 }} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="rules" name="Rules × 0.6" stackId="s" fill="#6366f1" />
            <Bar dataKey="ml" name="ML × 0.4 × confidence" stackId="s" fill="#10b981" />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="sr-only">Score parts per agent; the table below has the same numbers.</figcaption>
    </figure>
  );
}
