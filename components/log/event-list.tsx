"use client";
// Audit events as a list; used by the Log page and by agent pages.
import { Badge, type Tone } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/time";
import type { EventDto } from "@/lib/audit/schema";

function tone(action: string): Tone {
  if (/revoked|failed|cancel|deleted/.test(action)) return "red";
  if (/created|issued|completed/.test(action)) return "green";
  if (/status|role|changed/.test(action)) return "amber";
  return "gray";
}

function summary(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => {
      if (v && typeof v === "object" && "from" in v && "to" in v) {
        const c = v as { from: unknown; to: unknown };
        return `${k}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`;
      }
      return `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`;
    })
    .join(" · ");
}

export function EventList({ events }: { events: EventDto[] }) {
  return (
    <ol className="divide-y divide-zinc-100 dark:divide-zinc-800/70" aria-label="Events">
      {events.map((e) => (
        <li
          key={e.id}
          className="flex flex-col gap-1 px-5 py-3 sm:flex-row sm:items-start sm:gap-4"
          data-action={e.action}
        >
          <span className="w-28 shrink-0 text-xs text-zinc-500 tabular-nums sm:pt-0.5 dark:text-zinc-400">
            <RelativeTime iso={e.at} />
          </span>
          <div className="min-w-0 flex-1">
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <span className="font-medium text-zinc-900 dark:text-zinc-100">{e.actor}</span>
              <Badge tone={tone(e.action)}>{e.action}</Badge>
              <span className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{e.subject}</span>
            </div>
            {Object.keys(e.details).length > 0 && (
              <p className="mt-1 truncate text-xs text-zinc-500 dark:text-zinc-400">{summary(e.details)}</p>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
