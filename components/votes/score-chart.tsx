"use client";
// A vote's scores per option as horizontal bars (Recharts), with the threshold line: the score the leading
// option needs for its voters' mean confidence to reach the threshold. The same numbers are listed beside it.
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { VoteDto } from "@/lib/voting/schema";

export interface OptionScore {
  option: string;
  score: number;
  ballots: number;
  meanConfidence: number;
}

export function optionScores(vote: Pick<VoteDto, "options" | "ballots" | "scores">): OptionScore[] {
  return vote.options.map((option) => {
    const mine = vote.ballots.filter((b) => b.option === option);
    return {
      option,
      score: vote.scores[option] ?? 0,
      ballots: mine.length,
      meanConfidence: mine.length ? mine.reduce((s, b) => s + b.confidence, 0) / mine.length : 0,
    };
  });
}

export function ScoreChart({ vote, highlight }: { vote: VoteDto; highlight?: string | null }) {
  const rows = optionScores(vote);
  const leader = [...rows].sort((a, b) => b.score - a.score)[0];
  const line =
    vote.method === "weighted_confidence" && leader && leader.ballots > 0 ? vote.threshold * leader.ballots : null;
  // Room on the right for the threshold label, whichever is longer: the leading bar or the line.
  const max = Math.max(1, line ?? 0, ...rows.map((r) => r.score)) * 1.15;
  const step = max <= 1.5 ? 0.25 : max <= 4 ? 0.5 : Math.ceil(max / 5);
  const ticks = Array.from({ length: Math.ceil(max / step) + 1 }, (_, i) => Math.round(i * step * 100) / 100);
  return (
    <figure>
      <div style={{ height: rows.length * 34 + 50 }} aria-hidden>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            accessibilityLayer={false}
            data={rows}
            layout="vertical"
            margin={{ left: 4, right: 24, top: 18, bottom: 4 }}
          >
            <CartesianGrid horizontal={false} strokeOpacity={0.15} />
            <XAxis type="number" domain={[0, ticks.at(-1)!]} ticks={ticks} fontSize={11} stroke="currentColor" />
            <YAxis type="category" dataKey="option" width={96} fontSize={12} stroke="currentColor" />
            <Tooltip
              formatter={(v, _n, item) => [
                `${Number(v).toFixed(2)} (${item.payload.ballots} ballot${item.payload.ballots === 1 ? "" : "s"})`,
                "score",
              ]}
              contentStyle={{ fontSize: 12 }}
            />
            <Bar dataKey="score" isAnimationActive={false} radius={[0, 3, 3, 0]}>
              {rows.map((r) => (
                <Cell key={r.option} fill={r.option === highlight ? "#4f46e5" : "#a5b4fc"} />
              ))}
            </Bar>
            {line !== null && (
              <ReferenceLine
                x={line}
                stroke="#dc2626"
                strokeDasharray="4 3"
                label={{
                  value: `threshold ${vote.threshold.toFixed(2)}`,
                  position: "top",
                  fontSize: 11,
                  fill: "#dc2626",
                }}
              />
            )}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="sr-only">
        Scores: {rows.map((r) => `${r.option} ${r.score.toFixed(2)} from ${r.ballots} ballots`).join("; ")}.
        {line !== null ? ` The leading option needs ${line.toFixed(2)} to reach the threshold.` : ""}
      </figcaption>
    </figure>
  );
}
