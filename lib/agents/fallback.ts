// Fallback chains: whose work an agent may take while those agents cannot work themselves.
export const INACTIVE_STATUSES = ["standby", "rate_limited", "offline"] as const;

export interface AgentLink {
  name: string;
  status: string;
  fallbackName: string | null;
}

const isInactive = (status: string) => (INACTIVE_STATUSES as readonly string[]).includes(status);

/**
 * The assignees whose pending tasks `caller` may claim: itself, and every inactive agent whose fallback
 * chain reaches `caller` through inactive agents only (an active agent on the way takes the work itself).
 */
export function claimableAssignees(agents: AgentLink[], caller: string): string[] {
  const byName = new Map(agents.map((a) => [a.name, a]));
  const result = [caller];
  for (const agent of agents) {
    if (agent.name === caller || !isInactive(agent.status)) continue;
    const seen = new Set([agent.name]);
    for (let next = agent.fallbackName; next && !seen.has(next); next = byName.get(next)?.fallbackName ?? null) {
      if (next === caller) {
        result.push(agent.name);
        break;
      }
      seen.add(next);
      if (!isInactive(byName.get(next)?.status ?? "offline")) break;
    }
  }
  return result;
}

/** The agent that actually works for `name`: itself when active, else the first active agent down its chain. */
export function resolveWorkingAgent(agents: AgentLink[], name: string): { agent: string; via: string[] } | null {
  const byName = new Map(agents.map((a) => [a.name, a]));
  const via: string[] = [];
  const seen = new Set<string>();
  for (let cur: string | null = name; cur && !seen.has(cur); cur = byName.get(cur)?.fallbackName ?? null) {
    seen.add(cur);
    const a = byName.get(cur);
    if (!a) return null;
    if (!isInactive(a.status)) return { agent: cur, via };
    via.push(cur);
  }
  return null;
}
