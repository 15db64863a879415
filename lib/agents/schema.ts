// Shapes of the Agents API: the single source for routes, forms and the CLI.
import { z } from "zod";
import { isoTimeInput, isoTime } from "@/lib/http/time";

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
    /** With status rate_limited: when the limit ends by itself. */
    until: isoTimeInput().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "Send at least one field to change." })
  .superRefine((v, ctx) => {
    if (v.until && v.status !== "rate_limited")
      ctx.addIssue({ code: "custom", path: ["until"], message: "`until` goes with status rate_limited." });
    if (v.until && new Date(v.until).getTime() <= Date.now())
      ctx.addIssue({ code: "custom", path: ["until"], message: "`until` has already passed." });
  });
export type UpdateAgentInput = z.infer<typeof updateAgentInput>;

export const agentDto = z
  .object({
    name: z.string(),
    displayName: z.string(),
    status: agentStatus,
    /** When a rate limit ends by itself (status rate_limited only). */
    statusUntil: isoTime.nullable(),
    fallback: z.string().nullable(),
    capabilities: z.array(z.string()),
    lastSeenAt: isoTime.nullable(),
    createdAt: isoTime,
  })
  .meta({ id: "Agent" });
export type AgentDto = z.infer<typeof agentDto>;

export const issueTokenInput = z.strictObject({
  name: z.string().trim().min(1).max(80).optional().describe('Where the token is used ("ci runner", "laptop").'),
  expiresInDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .optional()
    .describe("Days until the token stops working; without it, it never expires."),
});
export type IssueTokenInput = z.input<typeof issueTokenInput>;

export const tokenDto = z
  .object({
    id: z.string(),
    prefix: z.string(),
    name: z.string().nullable(),
    createdAt: isoTime,
    expiresAt: isoTime.nullable(),
    lastUsedAt: isoTime.nullable(),
    revokedAt: isoTime.nullable(),
  })
  .meta({ id: "AgentToken" });
export type TokenDto = z.infer<typeof tokenDto>;

export const issuedToken = z
  .object({
    id: z.string(),
    token: z.string().describe("The bearer token, shown only here."),
    prefix: z.string(),
    name: z.string().nullable(),
    createdAt: isoTime,
    expiresAt: isoTime.nullable(),
  })
  .meta({ id: "IssuedToken" });
export type IssuedToken = z.infer<typeof issuedToken>;

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
