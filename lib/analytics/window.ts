// Time windows for every figure: the last 24 hours, 7 days, 30 days, or all time.
import { z } from "zod";

export const WINDOWS = ["24h", "7d", "30d", "all"] as const;
export type TimeWindow = (typeof WINDOWS)[number];
/** The one window every figure uses unless another is asked for: the web pages, the API and the CLI alike. */
export const DEFAULT_WINDOW: TimeWindow = "30d";
export const timeWindow = z.enum(WINDOWS).default(DEFAULT_WINDOW);

const WORDS: Record<TimeWindow, string> = {
  "24h": "the last 24 hours",
  "7d": "the last 7 days",
  "30d": "the last 30 days",
  all: "all time",
};
/** "the last 30 days", "all time" */
export const windowWords = (w: TimeWindow) => WORDS[w];

const DAYS: Record<Exclude<TimeWindow, "all">, number> = { "24h": 1, "7d": 7, "30d": 30 };

/** When the window starts, or undefined for all time. */
export function windowStart(window: TimeWindow, now = new Date()): Date | undefined {
  return window === "all" ? undefined : new Date(now.getTime() - DAYS[window] * 86_400_000);
}
