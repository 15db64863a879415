// Query keys and fetchers for agents, shared by every agents component.
import { api } from "@/lib/client/api";
import type { AgentDto, TokenDto } from "@/lib/agents/schema";
import type { EventDto } from "@/lib/audit/schema";

import { agentKeys } from "@/components/live/keys";

export { agentKeys };

export const fetchAgents = () => api<{ items: AgentDto[] }>("/agents").then((r) => r.items);
export const fetchAgent = (name: string) => api<AgentDto>(`/agents/${name}`);
export const fetchTokens = (name: string) => api<{ items: TokenDto[] }>(`/agents/${name}/tokens`).then((r) => r.items);
export const fetchAgentActivity = (name: string) =>
  api<{ items: EventDto[] }>(`/log?subject=${encodeURIComponent(`agent:${name}`)}&limit=20`).then((r) => r.items);
