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

/**
 * Each option's voters' mean confidence on a 0–1 scale, with the threshold line at the threshold itself — the
 * scale it is labelled with. The decision rule reads the same way: the option with the highest score (named
 * beside each bar) wins if its voters' mean confidence reaches the line.
 */
export function ScoreChart({ vote, highlight }: { vote: VoteDto; highlight?: string | null }) {
  const rows = optionScores(vote).map((r) => ({
    ...r,
    label: `${r.option} · ${vote.method === "simple_majority" ? r.ballots : r.score.toFixed(2)}`,
  }));
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  return (
    <figure>
      <div style={{ height: rows.length * 34 + 50 }} aria-hidden data-threshold={vote.threshold}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            accessibilityLayer={false}
            data={rows}
            layout="vertical"
            margin={{ left: 4, right: 24, top: 18, bottom: 4 }}
          >
            <CartesianGrid horizontal={false} strokeOpacity={0.15} />
            <XAxis type="number" domain={[0, 1]} ticks={ticks} fontSize={11} stroke="currentColor" />
            <YAxis type="category" dataKey="label" width={120} fontSize={12} stroke="currentColor" />
            <Tooltip
              formatter={(v, _n, item) => [
                `${Number(v).toFixed(2)} mean confidence, ${item.payload.ballots} ballot${item.payload.ballots === 1 ? "" : "s"}, score ${item.payload.score.toFixed(2)}`,
                item.payload.option,
              ]}
              contentStyle={{ fontSize: 12 }}
            />
            <Bar dataKey="meanConfidence" isAnimationActive={false} radius={[0, 3, 3, 0]}>
              {rows.map((r) => (
                <Cell key={r.option} fill={r.option === highlight ? "#4f46e5" : "#a5b4fc"} />
              ))}
            </Bar>
            <ReferenceLine
              x={vote.threshold}
              stroke="#dc2626"
              strokeDasharray="4 3"
              label={{
                value: `threshold ${vote.threshold.toFixed(2)}`,
                position: "top",
                fontSize: 11,
                fill: "#dc2626",
              }}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="text-xs text-zinc-600 dark:text-zinc-400">
        Bars: each option&rsquo;s mean voter confidence; beside the name, its{" "}
        {vote.method === "simple_majority" ? "ballots" : "score (the sum of confidences)"}. The leader needs a mean of{" "}
        {vote.threshold.toFixed(2)}.
        <span className="sr-only">
          {" "}
          {rows
            .map(
              (r) =>
                `${r.option}: score ${r.score.toFixed(2)} from ${r.ballots} ballots, mean confidence ${r.meanConfidence.toFixed(2)}`,
            )
            .join("; ")}
          .
        </span>
      </figcaption>
    </figure>
  );
}
