"use client";
// The time window of every figure on the page, kept in the URL (?window=) so a link shows the same view.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { DEFAULT_WINDOW, WINDOWS, type TimeWindow } from "@/lib/analytics/window";

const LABEL: Record<TimeWindow, string> = { "24h": "24 h", "7d": "7 days", "30d": "30 days", all: "All" };

export function useWindow(fallback: TimeWindow = DEFAULT_WINDOW): TimeWindow {
  const value = useSearchParams().get("window");
  return (WINDOWS as readonly string[]).includes(value ?? "") ? (value as TimeWindow) : fallback;
}

export function WindowSwitch({ fallback = DEFAULT_WINDOW }: { fallback?: TimeWindow }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const current = useWindow(fallback);
  return (
    <div
      role="radiogroup"
      aria-label="Time window"
      className="inline-flex rounded-lg border border-zinc-200 bg-white p-0.5 dark:border-zinc-800 dark:bg-zinc-900"
    >
      {WINDOWS.map((w) => (
        <button
          key={w}
          role="radio"
          aria-checked={current === w}
          onClick={() => {
            const next = new URLSearchParams(params);
            next.set("window", w);
            router.replace(`${pathname}?${next}`, { scroll: false });
          }}
          className={`rounded-md px-2.5 py-1 text-sm font-medium ${current === w ? "bg-zinc-900 text-white dark:bg-white dark:text-zinc-900" : "text-zinc-700 hover:text-zinc-900 dark:text-zinc-300 dark:hover:text-white"}`}
        >
          {LABEL[w]}
        </button>
      ))}
    </div>
  );
}
