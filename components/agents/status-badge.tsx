// An agent's status as a coloured badge.
import { Badge, type Tone } from "@/components/ui/badge";
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

export const statusLabel = label;
