"use client";
// The main navigation: the pages that exist, the current one marked, the live count of tasks waiting (Queue) and
// of escalations waiting for a person (which also leads the browser tab's title).
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect } from "react";
import { cn } from "@/components/ui/cn";
import { escalationKeys, fetchSummary } from "@/components/escalations/queries";
import { useTaskCounts, type TaskCounts } from "@/components/queue/use-counts";
import type { EscalationSummary } from "@/lib/escalations/service";

export interface NavItem {
  href: string;
  label: string;
}

const COUNT_PREFIX = /^\(\d+\) /;

/** Keeps "(3) " in front of the tab's title while escalations wait, whatever title the page sets. */
function useTitleCount(count: number, pathname: string): void {
  useEffect(() => {
    const apply = () => {
      const bare = document.title.replace(COUNT_PREFIX, "");
      const wanted = count > 0 ? `(${count}) ${bare}` : bare;
      if (document.title !== wanted) document.title = wanted;
    };
    apply();
    const title = document.querySelector("title");
    const observer = title ? new MutationObserver(apply) : null;
    if (title) observer!.observe(title, { childList: true, characterData: true, subtree: true });
    return () => observer?.disconnect();
  }, [count, pathname]);
}

/** The live count of open escalations: one shared query behind the sidebar, the phone's menu button and the title. */
export function useEscalationSummary(initial: EscalationSummary): EscalationSummary {
  return useQuery({ queryKey: escalationKeys.summary, queryFn: fetchSummary, initialData: initial }).data;
}

export function Nav({
  items,
  escalations,
  counts,
  vertical,
  onNavigate,
}: {
  items: NavItem[];
  escalations: EscalationSummary;
  counts?: TaskCounts;
  vertical?: boolean;
  onNavigate?: () => void;
}) {
  const pathname = usePathname();
  const open = useEscalationSummary(escalations).open;
  const waiting = useTaskCounts(undefined, counts).data?.pending ?? 0;
  useTitleCount(open, pathname);
  return (
    <nav aria-label="Main" className={cn("flex flex-col gap-1", vertical && "sm:grid sm:grid-cols-2")}>
      {items.map((item) => {
        const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
        const badge =
          item.href === "/escalations" && open > 0
            ? { n: open, label: `${open} waiting for a person`, tone: "bg-red-600 text-white", id: "escalation-badge" }
            : item.href === "/queue" && waiting > 0
              ? {
                  n: waiting,
                  label: `${waiting} tasks waiting`,
                  tone: "bg-zinc-200 text-zinc-800 dark:bg-zinc-700 dark:text-zinc-100",
                  id: "queue-badge",
                }
              : null;
        return (
          <Link
            key={item.href}
            href={item.href}
            onClick={onNavigate}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex items-center justify-between gap-2 rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap transition-colors",
              active
                ? "bg-zinc-900 text-white dark:bg-white dark:text-zinc-900"
                : "text-zinc-600 hover:bg-zinc-200/60 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-white",
            )}
          >
            {item.label}
            {badge !== null && (
              <>
                <span
                  data-testid={badge.id}
                  aria-hidden
                  className={cn(
                    "rounded-full px-1.5 py-0.5 text-xs leading-none font-semibold tabular-nums",
                    badge.tone,
                  )}
                >
                  {badge.n.toLocaleString("en")}
                </span>
                <span className="sr-only">, {badge.label}</span>
              </>
            )}
          </Link>
        );
      })}
    </nav>
  );
}
