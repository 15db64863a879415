// Shapes of the Agents API: the single source for routes, forms and the CLI.
import { z } from "zod";

export const AGENT_STATUSES = ["active", "standby", "rate_limited", "offline"] as const;
export const agentStatus = z.enum(AGENT_STATUSES);
export type AgentStatus = z.infer<typeof agentStatus>;

export const agentName = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{1,31}$/,
    "Use 2–32 characters: lowercase letters, digits and dashes, starting with a letter.",
  );

/** Names that already mean something else: actors in the audit log, filter values, routes. */
export const RESERVED_AGENT_NAMES = [
  "admin",
  "admin-token",
  "system",
  "root",
  "agent",
  "agents",
  "user",
  "users",
  "me",
  "none",
  "null",
  "undefined",
  "all",
  "any",
  "anonymous",
  "everyone",
  "human",
  "orchestrator",
  "federation",
  "fed",
  "rule",
  "rules",
  "claim",
  "new",
] as const;

const newAgentName = agentName.refine((n) => !(RESERVED_AGENT_NAMES as readonly string[]).includes(n), {
  message: "This name is reserved (it names an actor, a filter or a route); choose another.",
});

const capability = z.string().trim().min(1).max(64);

export const createAgentInput = z.strictObject({
  name: newAgentName,
  displayName: z.string().trim().min(1).max(80).optional(),
  capabilities: z.array(capability).max(32).optional(),
  fallback: agentName.nullable().optional(),
  status: agentStatus.optional(),
});
export type CreateAgentInput = z.infer<typeof createAgentInput>;

export const updateAgentInput = z
  .strictObject({
    displayName: z.string().trim().min(1).max(80).optional(),
    capabilities: z.array(capability).max(32).optional(),
    fallback: agentName.nullable().optional(),
    status: agentStatus.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "Send at least one field to change." });
export type UpdateAgentInput = z.infer<typeof updateAgentInput>;

export interface AgentDto {
  name: string;
  displayName: string;
  status: AgentStatus;
  fallback: string | null;
  capabilities: string[];
  lastSeenAt: string | null;
  createdAt: string;
}

export interface TokenDto {
  id: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface IssuedToken {
  id: string;
  token: string;
  prefix: string;
  createdAt: string;
}

/** The seed's agents, created on first run. */
export const SEED_AGENTS: CreateAgentInput[] = [
  {
    name: "claude",
    displayName: "Claude Code",
    capabilities: ["research", "design", "review", "architecture"],
    fallback: "copilot-opus",
  },
  { name: "copilot-opus", displayName: "Copilot (Opus)", capabilities: ["research", "design", "review"] },
  { name: "kimi", displayName: "Kimi", capabilities: ["implementation", "refactor", "testing"] },
  { name: "kimi-ide", displayName: "Kimi IDE", capabilities: ["implementation", "refactor", "debugging"] },
  { name: "copilot", displayName: "GitHub Copilot", capabilities: ["implementation", "frontend", "testing"] },
  { name: "ollama", displayName: "Ollama (local)", capabilities: ["documentation", "summaries"] },
];
