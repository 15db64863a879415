// Every query key of the app, in one place: the live layer invalidates by these roots when a change arrives, so
// the navigation badges, the Overview and every list refresh together.
import type { TimeWindow } from "@/lib/analytics/window";
import type { EscalationDto } from "@/lib/escalations/schema";
import type { TaskState } from "@/lib/queue/schema";
import type { VoteStatus } from "@/lib/voting/schema";

export interface QueueFilters {
  q: string;
  assignee: string;
  type: string;
}
export type InboxState = "open" | "resolved";
export type InboxKind = "" | EscalationDto["kind"];

export const queueKeys = {
  all: ["tasks"] as const,
  counts: (filters: QueueFilters) => ["tasks", "counts", filters] as const,
  column: (state: TaskState, filters: QueueFilters) => ["tasks", "column", state, filters] as const,
  list: (state: TaskState | "", filters: QueueFilters) => ["tasks", "list", state, filters] as const,
  one: (id: string) => ["tasks", "one", id] as const,
  related: (id: string, ids: string) => ["tasks", "related", id, ids] as const,
};

export const escalationKeys = {
  all: ["escalations"] as const,
  summary: ["escalations", "summary"] as const,
  inbox: (state: InboxState, kind: InboxKind) => ["escalations", "inbox", state, kind] as const,
};

export const voteKeys = {
  all: ["votes"] as const,
  list: (status: VoteStatus | "") => ["votes", "list", status] as const,
  one: (id: string) => ["votes", "one", id] as const,
};

export const agentKeys = {
  all: ["agents"] as const,
  one: (name: string) => ["agents", name] as const,
  tokens: (name: string) => ["agents", name, "tokens"] as const,
  activity: (name: string) => ["log", { subject: `agent:${name}` }] as const,
};

export const analyticsKeys = {
  all: ["analytics"] as const,
  dashboard: (window: TimeWindow) => ["analytics", "dashboard", window] as const,
  charts: (window: TimeWindow) => ["analytics", "charts", window] as const,
  leaderboard: (window: TimeWindow, taskType: string) => ["analytics", "leaderboard", window, taskType] as const,
  agent: (name: string, window: TimeWindow) => ["analytics", "agent", name, window] as const,
  suggestions: (window: TimeWindow) => ["analytics", "optimizer", "suggestions", window] as const,
  optimizer: ["analytics", "optimizer"] as const,
  history: ["analytics", "optimizer", "history"] as const,
};

export const logKeys = {
  all: ["log"] as const,
  recent: ["log", "recent"] as const,
  filtered: (filters: unknown) => ["log", filters] as const,
};

export const routeKeys = {
  all: ["route"] as const,
  explain: (q: unknown) => ["route", q] as const,
};

export const ruleKeys = { all: ["rules"] as const };

export const webhookKeys = {
  all: ["webhooks"] as const,
  deliveries: (id: string) => ["webhooks", id, "deliveries"] as const,
};

export const federationKeys = { state: ["federation"] as const };

/** What a change to each kind of subject can alter on screen. */
export const AFFECTED: Record<string, readonly (readonly unknown[])[]> = {
  task: [queueKeys.all, analyticsKeys.all, logKeys.all, agentKeys.all, escalationKeys.summary],
  escalation: [escalationKeys.all, queueKeys.all, voteKeys.all, analyticsKeys.all, logKeys.all],
  vote: [voteKeys.all, escalationKeys.all, analyticsKeys.all, logKeys.all],
  agent: [agentKeys.all, analyticsKeys.all, logKeys.all, routeKeys.all],
};
