"use client";
// The leaderboard, Arena style: ranked by the Wilson lower bound, with each agent's interval drawn, and the raw
// rate and count beside it. Overall or for one task type.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Card } from "@/components/ui/card";
import { EmptyState, QueryError, Skeleton } from "@/components/ui/feedback";
import { Select, Options } from "@/components/ui/form";
import { Table, Tbody, Td, Thead } from "@/components/ui/table";
import type { AgentFigures } from "@/lib/analytics/schema";
import { analyticsKeys, fetchLeaderboard, percent } from "./queries";
import { useWindow, WindowSwitch } from "./window-switch";

/** The interval as a bar on a 0–100% track, the raw rate as a tick. */
export function IntervalBar({ item }: { item: Pick<AgentFigures, "interval" | "successRate"> }) {
  const [low, high] = item.interval;
  return (
    <div className="relative h-3 w-40 rounded-full bg-zinc-100 dark:bg-zinc-800" aria-hidden>
      <div
        className="absolute inset-y-0 rounded-full bg-indigo-300 dark:bg-indigo-500/60"
        style={{ left: `${low * 100}%`, width: `${Math.max(1, (high - low) * 100)}%` }}
      />
      <div
        className="absolute inset-y-[-2px] w-0.5 bg-indigo-700 dark:bg-indigo-200"
        style={{ left: `${item.successRate * 100}%` }}
      />
    </div>
  );
}

export function Leaderboard({ taskTypes }: { taskTypes: string[] }) {
  const window = useWindow();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const taskType = params.get("taskType") ?? "";
  const board = useQuery({
    queryKey: analyticsKeys.leaderboard(window, taskType),
    queryFn: () => fetchLeaderboard(window, taskType),
    placeholderData: (p) => p,
  });
  const items = board.data?.items ?? [];
  return (
    <>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <label className="flex items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300">
          Task type
          <Select
            className="w-48"
            value={taskType}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.target.value) next.set("taskType", e.target.value);
              else next.delete("taskType");
              router.replace(`${pathname}?${next}`, { scroll: false });
            }}
          >
            <option value="">All types</option>
            <Options values={taskTypes} />
          </Select>
        </label>
        <WindowSwitch />
      </div>
      <QueryError error={board.error} what="the leaderboard" className="mb-4" />
      <Card>
        {board.isPending ? (
          <div className="p-5">
            <Skeleton className="h-40" />
          </div>
        ) : !items.length ? (
          <EmptyState title="Nobody on the board yet">
            Outcomes recorded in this window rank the agents here.
          </EmptyState>
        ) : (
          <>
            {/* A phone: one compact entry per agent (place, name, rating; the interval and the counts under it). */}
            <ol aria-label="Leaderboard" className="divide-y divide-zinc-100 sm:hidden dark:divide-zinc-800">
              {items.map((a, i) => (
                <li key={a.agent} data-agent={a.agent} className="space-y-1.5 px-4 py-3">
                  <div className="flex items-baseline gap-3">
                    <span className="w-5 text-sm text-zinc-600 tabular-nums dark:text-zinc-400">{i + 1}</span>
                    <Link
                      href={`/agents/${a.agent}`}
                      className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                    >
                      {a.agent}
                    </Link>
                    <span className="ml-auto text-sm font-semibold tabular-nums">rating {a.rating.toFixed(3)}</span>
                  </div>
                  <div className="flex items-center gap-2 pl-8 text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
                    <IntervalBar item={a} />
                    <span>
                      {percent(a.successRate)} · {a.successes}/{a.tasks} · {percent(a.interval[0])}–
                      {percent(a.interval[1])}
                    </span>
                  </div>
                </li>
              ))}
            </ol>
            <div className="hidden sm:block">
              <Table aria-label="Leaderboard">
                <Thead
                  columns={["#", "Agent", "Rating", "95% interval", "Rate", "Tasks"]}
                  numeric={["Rating", "Rate", "Tasks"]}
                  widths={{ "#": "w-12" }}
                />
                <Tbody>
                  {items.map((a, i) => (
                    <tr key={a.agent} data-agent={a.agent}>
                      <Td className="tabular-nums">{i + 1}</Td>
                      <Td>
                        <Link
                          href={`/agents/${a.agent}`}
                          className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                        >
                          {a.agent}
                        </Link>
                      </Td>
                      <Td className="text-right font-semibold tabular-nums">{a.rating.toFixed(3)}</Td>
                      <Td>
                        <div className="flex items-center gap-2">
                          <IntervalBar item={a} />
                          <span className="text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
                            {percent(a.interval[0])}–{percent(a.interval[1])}
                          </span>
                        </div>
                      </Td>
                      <Td className="text-right tabular-nums">{percent(a.successRate)}</Td>
                      <Td className="text-right tabular-nums">
                        {a.successes}/{a.tasks}
                      </Td>
                    </tr>
                  ))}
                </Tbody>
              </Table>
            </div>
          </>
        )}
      </Card>
      <p className="mt-3 text-xs text-zinc-600 dark:text-zinc-400">
        The rating is the lower end of the 95% Wilson interval: 3 of 3 rates 0.44, 90 of 100 rates 0.83 — more evidence,
        higher place.
      </p>
    </>
  );
}
