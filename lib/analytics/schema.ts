// Shapes of the Analytics API: the single source for routes, pages, the CLI and MCP.
import { z } from "zod";
import { agentName } from "@/lib/agents/schema";
import { taskId, taskType } from "@/lib/queue/schema";
import { WINDOWS, windowStart, type TimeWindow } from "./window";
import type { Interval } from "./stats";
import type { Kpi } from "./kpis";

export const outcomeInput = z.strictObject({
  agent: agentName,
  taskType: taskType,
  success: z.boolean(),
  durationMinutes: z.number().min(0).max(100_000),
  rework: z.boolean().default(false),
  taskId: taskId.optional(),
  description: z.string().trim().max(2000).optional(),
});
export type OutcomeInput = z.input<typeof outcomeInput>;

/** `?since=` (an ISO time) or `?window=` (24h, 7d, 30d, all); since wins; neither means all time. */
export const periodQuery = z.object({
  since: z.iso.datetime({ offset: true, message: "Use an ISO 8601 time, e.g. 2026-11-01T00:00:00Z." }).optional(),
  window: z.enum(WINDOWS).optional(),
});
export type PeriodQuery = z.infer<typeof periodQuery>;

export function sinceOf(query: PeriodQuery, now = new Date()): Date | undefined {
  if (query.since) return new Date(query.since);
  return windowStart((query.window ?? "all") as TimeWindow, now);
}

export const leaderboardQuery = periodQuery.extend({ taskType: taskType.optional() });
export type LeaderboardQuery = z.infer<typeof leaderboardQuery>;

export const optimizeInput = z.strictObject({
  dryRun: z.boolean().default(true),
  window: z.enum(WINDOWS).default("30d"),
  /** Fewer outcomes than this for an agent on a type say nothing either way. */
  minSamples: z.number().int().min(3).max(1000).default(10),
});
export type OptimizeInput = z.input<typeof optimizeInput>;

export interface AgentFigures {
  agent: string;
  tasks: number;
  successes: number;
  successRate: number;
  avgDurationMinutes: number | null;
  reworkRate: number;
  rating: number;
  interval: [number, number];
}

export interface TypeFigures extends Omit<AgentFigures, "agent"> {
  taskType: string;
}

export interface TrendPoint {
  at: string;
  tasks: number;
  successRate: number;
}

export interface DashboardDto {
  since: string | null;
  totalTasks: number;
  successRate: number;
  activeAgents: number;
  taskTypes: number;
  topPerformers: { agent: string; successRate: number; tasks: number; rating: number }[];
  kpis: {
    autoScheduledShare: Kpi;
    voteResolutionRate: Kpi;
    routingAccuracy: Kpi & { agreement: number };
    handoffsPerDay: Kpi;
  };
  queue: Record<"pending" | "in_progress" | "completed" | "failed" | "cancelled", number>;
}

export interface AgentAnalyticsDto {
  agent: string;
  tasks: number;
  successRate: number;
  avgDurationMinutes: number | null;
  medianDurationMinutes: number | null;
  reworkRate: number;
  rating: number;
  interval: [number, number];
  byTaskType: TypeFigures[];
  trend: TrendPoint[];
  recent: {
    taskId: string | null;
    taskType: string;
    success: boolean;
    durationMinutes: number | null;
    rework: boolean;
    description: string | null;
    at: string;
  }[];
}

export const toPair = (i: Interval): [number, number] => [i.low, i.high];
