"use client";
// An agent's status as a coloured badge; a rate limit that ends by itself counts down to its end.
import { Badge, type Tone } from "@/components/ui/badge";
import { useNow } from "@/components/ui/use-now";
import type { AgentStatus } from "@/lib/agents/schema";

const tone: Record<AgentStatus, Tone> = { active: "green", standby: "blue", rate_limited: "amber", offline: "gray" };
const label: Record<AgentStatus, string> = {
  active: "Active",
  standby: "Standby",
  rate_limited: "Rate limited",
  offline: "Offline",
};

export function AgentStatusBadge({ status }: { status: AgentStatus }) {
  return (
    <Badge tone={tone[status]} dot>
      {label[status]}
    </Badge>
  );
}

/** "ends in 4:32" while a rate limit runs; "ending…" at its end, until the next refresh shows the agent active. */
export function RateLimitCountdown({ until }: { until: string | null }) {
  const now = useNow(1000);
  if (!until || now === null) return null;
  const left = Math.max(0, Math.round((new Date(until).getTime() - now) / 1000));
  const text = left === 0 ? "ending…" : `ends in ${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  return (
    <span
      className="text-xs text-amber-800 tabular-nums dark:text-amber-300"
      data-testid="rate-limit-countdown"
      title={`Active again at ${until}`}
    >
      {text}
    </span>
  );
}

export const statusLabel = label;
