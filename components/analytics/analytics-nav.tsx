"use client";
// The Analytics section's own tabs: charts, leaderboard, optimizer; the window travels with them.
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";

const TABS = [
  { href: "/analytics", label: "Charts" },
  { href: "/analytics/leaderboard", label: "Leaderboard" },
  { href: "/analytics/optimizer", label: "Optimizer" },
];

export function AnalyticsNav() {
  const pathname = usePathname();
  const window = useSearchParams().get("window");
  return (
    <nav aria-label="Analytics" className="mb-5 flex gap-1 border-b border-zinc-200 dark:border-zinc-800">
      {TABS.map((t) => {
        const active = pathname === t.href;
        return (
          <Link
            key={t.href}
            href={window ? `${t.href}?window=${window}` : t.href}
            aria-current={active ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${active ? "border-indigo-600 text-zinc-900 dark:border-indigo-400 dark:text-white" : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white"}`}
          >
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
