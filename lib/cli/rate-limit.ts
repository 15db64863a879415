// Rate limits that end by themselves: the coding CLIs say so in their output ("usage limit reached… resets at 3pm",
// "try again in 2 hours", HTTP 429). `fed run` marks its agent rate_limited until then, gives the task back so
// the fallback takes it, and sleeps until the limit ends.

/**
 * What the CLIs print when a provider's limit is hit (Claude Code, Codex, Copilot, Kimi, aider, Ollama's hosted
 * models): matched case-insensitively against the end of the command's output.
 */
export const DEFAULT_RATE_LIMIT_PATTERNS: RegExp[] = [
  /rate[ _-]?limit(ed)?/i,
  /usage limit/i,
  /limit (reached|exceeded)/i,
  /too many requests/i,
  /\b429\b/,
  /quota (exceeded|exhausted)/i,
  /try again (in|at|after)\b/i,
  /resets? (at|in)\b/i,
];

/** When nothing in the message says when the limit ends. */
export const DEFAULT_BACKOFF_MS = 15 * 60_000;

const UNIT_MS: Record<string, number> = {
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

/**
 * When the limit ends, read from the message: "in 2 minutes", "in 1h 30m", "in 90 seconds", "at 3pm", "at 15:30",
 * "at 2026-12-06T15:00:00Z", a Unix time in seconds ("resets at 1765033200"); null when it does not say. A clock
 * time already past today means tomorrow.
 */
export function rateLimitUntil(text: string, now = new Date()): Date | null {
  const relative = /\b(?:in|after|for)\s+((?:\d+(?:\.\d+)?\s*[a-z]+[\s,]*(?:and\s+)?){1,3})/i.exec(text);
  if (relative) {
    let ms = 0;
    for (const [, n, unit] of relative[1]!.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/gi)) {
      const per = UNIT_MS[unit!.toLowerCase()];
      if (per) ms += Number(n) * per;
    }
    if (ms > 0) return new Date(now.getTime() + ms);
  }
  const iso = /\b(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)/.exec(text);
  if (iso) {
    const at = new Date(iso[1]!);
    if (!Number.isNaN(at.getTime())) return at;
  }
  const epoch = /\b(?:at|until)\s+(1\d{9})\b/i.exec(text);
  if (epoch) return new Date(Number(epoch[1]) * 1000);
  const clock = /\b(?:at|until)\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\b/i.exec(text);
  if (clock && (clock[2] !== undefined || clock[3] !== undefined)) {
    let hour = Number(clock[1]);
    const minute = Number(clock[2] ?? 0);
    const half = clock[3]?.toLowerCase();
    if (half === "pm" && hour < 12) hour += 12;
    if (half === "am" && hour === 12) hour = 0;
    if (hour > 23 || minute > 59) return null;
    const at = new Date(now);
    at.setHours(hour, minute, 0, 0);
    if (at <= now) at.setDate(at.getDate() + 1);
    return at;
  }
  return null;
}

/** Whether the output says a rate limit stopped the command. */
export function isRateLimited(text: string, patterns: RegExp[] = DEFAULT_RATE_LIMIT_PATTERNS): boolean {
  return patterns.some((p) => p.test(text));
}
