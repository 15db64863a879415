// Fallback chains for routing: which agent works for one that is away. (The claim's side of the rule,
// whose tasks an agent may take, lives once in SQL: lib/queue/eligible.ts.)
export const INACTIVE_STATUSES = ["standby", "rate_limited", "offline"] as const;

export interface AgentLink {
  name: string;
  status: string;
  fallbackName: string | null;
}

const isInactive = (status: string) => (INACTIVE_STATUSES as readonly string[]).includes(status);

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
