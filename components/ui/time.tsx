"use client";
// Relative times ("3 min ago") that stay current, with the exact UTC time on hover.
import { useNow } from "./use-now";

export function formatRelative(iso: string, now: number): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  const abs = Math.abs(seconds);
  const suffix = seconds >= 0 ? "ago" : "from now";
  if (abs < 10) return "just now";
  if (abs < 60) return `${abs} s ${suffix}`;
  if (abs < 3600) return `${Math.round(abs / 60)} min ${suffix}`;
  if (abs < 86_400) return `${Math.round(abs / 3600)} h ${suffix}`;
  return `${Math.round(abs / 86_400)} d ${suffix}`;
}

export function RelativeTime({ iso, fallback = "never" }: { iso: string | null; fallback?: string }) {
  const now = useNow(15_000);
  if (!iso) return <span className="text-zinc-600 dark:text-zinc-400">{fallback}</span>;
  return (
    <time dateTime={iso} title={iso.replace("T", " ").slice(0, 19) + " UTC"}>
      {now === null ? iso.slice(0, 16).replace("T", " ") : formatRelative(iso, now)}
    </time>
  );
}
