// Time windows for every figure: the last 24 hours, 7 days, 30 days, or all time.
import { z } from "zod";

export const WINDOWS = ["24h", "7d", "30d", "all"] as const;
export type TimeWindow = (typeof WINDOWS)[number];
export const timeWindow = z.enum(WINDOWS).default("30d");

const DAYS: Record<Exclude<TimeWindow, "all">, number> = { "24h": 1, "7d": 7, "30d": 30 };

/** When the window starts, or undefined for all time. */
export function windowStart(window: TimeWindow, now = new Date()): Date | undefined {
  return window === "all" ? undefined : new Date(now.getTime() - DAYS[window] * 86_400_000);
}
