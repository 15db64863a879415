// An agent's status as it is now: a rate limit whose `until` has passed is over, even before the sweep has
// written that down (lib/agents/rate-limits.ts does, with its audit event).
import type { AgentStatus } from "./schema";

export function effectiveStatus(
  agent: { status: AgentStatus; statusUntil: Date | null },
  now = new Date(),
): AgentStatus {
  return agent.status === "rate_limited" && agent.statusUntil && agent.statusUntil <= now ? "active" : agent.status;
}

/**
 * The same rule in SQL, for the claim's fallback chains: is agent `a` active now? Never NULL: a rate limit
 * without `until` (NULL) runs until someone lifts it, and a NULL here would make the chain's `NOT` unknown.
 */
export const activeSql = (a: string) =>
  `(${a}.status = 'active' OR (${a}.status = 'rate_limited' AND ${a}.status_until IS NOT NULL AND ${a}.status_until <= now()))`;
