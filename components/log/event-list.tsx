"use client";
// Audit events as sentences with links (who did what to which task, agent or vote); used by the Log page, the
// Overview, task history and agent pages. Rules read by their names.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo } from "react";
import { ruleKeys } from "@/components/live/keys";
import { RelativeTime } from "@/components/ui/time";
import { api } from "@/lib/client/api";
import { sentence, type Part } from "@/lib/audit/sentence";
import type { EventDto } from "@/lib/audit/schema";
import type { ScheduleRuleDto } from "@/lib/scheduling/schema";

/** Schedule rule names by id, from the one shared rules query. */
export function useRuleNames(): ReadonlyMap<string, string> {
  const rules = useQuery({
    queryKey: ruleKeys.all,
    queryFn: () => api<{ items: ScheduleRuleDto[] }>("/rules").then((r) => r.items),
    staleTime: 60_000,
  }).data;
  return useMemo(() => new Map((rules ?? []).map((r) => [r.id, r.name])), [rules]);
}

export function Sentence({ parts }: { parts: Part[] }) {
  return (
    <>
      {parts.map((p, i) =>
        typeof p === "string" ? (
          p
        ) : (
          <Link key={i} href={p.href} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            {p.text}
          </Link>
        ),
      )}
    </>
  );
}

export function EventList({ events }: { events: EventDto[] }) {
  const rules = useRuleNames();
  return (
    <ol className="divide-y divide-zinc-100 dark:divide-zinc-800/70" aria-label="Events">
      {events.map((e) => (
        <li
          key={e.id}
          className="flex flex-col gap-1 px-5 py-3 sm:flex-row sm:items-start sm:gap-4"
          data-action={e.action}
        >
          <span className="w-28 shrink-0 text-xs text-zinc-600 tabular-nums sm:pt-0.5 dark:text-zinc-400">
            <RelativeTime iso={e.at} />
          </span>
          <p className="min-w-0 flex-1 text-sm [overflow-wrap:anywhere] text-zinc-800 dark:text-zinc-200">
            <Sentence parts={sentence(e, { rules })} />
          </p>
        </li>
      ))}
    </ol>
  );
}
