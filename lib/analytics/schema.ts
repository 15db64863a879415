// Shapes of the Analytics API: the single source for routes, pages, the CLI and MCP.
import { z } from "zod";
import { isoTimeInput } from "@/lib/http/time";
import { agentName } from "@/lib/agents/schema";
import { taskId, taskType } from "@/lib/queue/schema";
import { DEFAULT_WINDOW, WINDOWS, windowStart, type TimeWindow } from "./window";
import type { Interval } from "./stats";

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

/** `?since=` (an ISO time) or `?window=` (24h, 7d, 30d, all); since wins; neither means the default window (30 days). */
export const periodQuery = z.object({
  since: isoTimeInput("Use an ISO 8601 time, e.g. 2026-11-01T00:00:00Z.").optional(),
  window: z.enum(WINDOWS).optional(),
});
export type PeriodQuery = z.infer<typeof periodQuery>;

export function sinceOf(query: PeriodQuery, now = new Date()): Date | undefined {
  if (query.since) return new Date(query.since);
  return windowStart((query.window ?? DEFAULT_WINDOW) as TimeWindow, now);
}

export const leaderboardQuery = periodQuery.extend({ taskType: taskType.optional() });
export type LeaderboardQuery = z.infer<typeof leaderboardQuery>;

export const optimizeInput = z.strictObject({
  dryRun: z.boolean().default(true),
  window: z.enum(WINDOWS).default(DEFAULT_WINDOW),
  /** Fewer outcomes than this for an agent on a type say nothing either way. */
  minSamples: z.number().int().min(3).max(1000).default(10),
});
export type OptimizeInput = z.input<typeof optimizeInput>;

const interval = z.tuple([z.number(), z.number()]).describe("The 95% Wilson score interval of the success rate.");

export const agentFigures = z
  .object({
    agent: z.string(),
    tasks: z.number().int(),
    successes: z.number().int(),
    successRate: z.number(),
    avgDurationMinutes: z.number().nullable(),
    reworkRate: z.number(),
    rating: z.number().describe("The interval's lower end: what rankings sort by."),
    interval,
  })
  .meta({ id: "AgentFigures" });
export type AgentFigures = z.infer<typeof agentFigures>;

export const typeFigures = agentFigures
  .omit({ agent: true })
  .extend({ taskType: z.string() })
  .meta({ id: "TypeFigures" });
export type TypeFigures = z.infer<typeof typeFigures>;

export const trendPoint = z
  .object({ at: z.string(), tasks: z.number().int(), successRate: z.number() })
  .meta({ id: "TrendPoint" });
export type TrendPoint = z.infer<typeof trendPoint>;

export const kpiDto = z
  .object({
    value: z.number(),
    target: z.number(),
    status: z.enum(["ok", "warn", "bad"]),
    samples: z.number(),
    enoughData: z.boolean().describe("False when too few samples back the value: show “not enough data”."),
  })
  .meta({ id: "Kpi" });

const count = z.number().int();

export const dashboardDto = z
  .object({
    since: z.string().nullable(),
    totalTasks: count,
    successRate: z.number(),
    activeAgents: count.describe("Agents whose status is active now (the registry's count)."),
    agentsWithOutcomes: count.describe("Agents with at least one outcome in the window."),
    taskTypes: count,
    topPerformers: z.array(z.object({ agent: z.string(), successRate: z.number(), tasks: count, rating: z.number() })),
    kpis: z.object({
      autoScheduledShare: kpiDto,
      voteResolutionRate: kpiDto,
      routingAccuracy: kpiDto.extend({
        agreement: z.number(),
        fallbackSaved: count.describe(
          "Routed tasks that ended in the window completed by another agent than the router chose (a fallback or a reassignment): they count against the accuracy, and this says how often the fallback saved the task.",
        ),
      }),
      handoffsPerDay: kpiDto,
    }),
    queue: z.object({ pending: count, in_progress: count, completed: count, failed: count, cancelled: count }),
  })
  .meta({ id: "Dashboard" });
export type DashboardDto = z.infer<typeof dashboardDto>;

export const agentAnalyticsDto = z
  .object({
    agent: z.string(),
    tasks: count,
    successRate: z.number(),
    avgDurationMinutes: z.number().nullable(),
    medianDurationMinutes: z.number().nullable(),
    reworkRate: z.number(),
    rating: z.number(),
    interval,
    byTaskType: z.array(typeFigures),
    trend: z.array(trendPoint),
    recent: z.array(
      z.object({
        taskId: z.string().nullable(),
        taskType: z.string(),
        success: z.boolean(),
        durationMinutes: z.number().nullable(),
        rework: z.boolean(),
        description: z.string().nullable(),
        at: z.string(),
      }),
    ),
  })
  .meta({ id: "AgentAnalytics" });
export type AgentAnalyticsDto = z.infer<typeof agentAnalyticsDto>;

export const taskTypeAnalyticsDto = z
  .object({ type: z.string(), agents: z.array(agentFigures) })
  .meta({ id: "TaskTypeAnalytics" });
export const leaderboardDto = z
  .object({ items: z.array(agentFigures), taskType: z.string().nullable() })
  .meta({ id: "Leaderboard" });

export const outcomeRecordedDto = z
  .object({
    id: z.number().int(),
    agent: z.string(),
    taskType: z.string(),
    success: z.boolean(),
    durationMinutes: z.number(),
    rework: z.boolean(),
    taskId: z.string().optional(),
    description: z.string().optional(),
    at: z.string(),
  })
  .meta({ id: "Outcome" });

export const optimizerSuggestionDto = z
  .object({
    kind: z.enum(["prefer", "avoid"]),
    agent: z.string(),
    taskType: z.string(),
    reason: z.string(),
    evidence: z.object({
      successes: count,
      tasks: count,
      successRate: z.number(),
      interval,
      typeRate: z.number(),
      typeTasks: count,
      certainty: z.number().describe("How sure we are the agent differs from its type's rate (one-sided)."),
      ruleWeight: z.number().nullable(),
      proposedWeight: z
        .number()
        .nullable()
        .describe("The weight applying would set; null when applying changes nothing for this suggestion."),
    }),
    applied: z
      .object({ changeId: z.string(), at: z.string(), by: z.string() })
      .nullable()
      .describe("The application that already made this change (and was not undone): applying again adds nothing."),
  })
  .meta({ id: "OptimizerSuggestion" });
export type Suggestion = z.infer<typeof optimizerSuggestionDto>;

export const ruleChangeDto = z
  .object({
    ruleId: z.string(),
    agent: z.string(),
    kind: z.literal("type"),
    pattern: z.string(),
    before: z.object({ weight: z.number(), updatedAt: z.string() }).nullable(),
    after: z.number(),
  })
  .meta({ id: "RuleChange" });
export type RuleChange = z.infer<typeof ruleChangeDto>;

export const optimizerChangeDto = z
  .object({
    id: z.string(),
    appliedBy: z.string(),
    appliedAt: z.string(),
    suggestions: z.array(optimizerSuggestionDto),
    changes: z.array(ruleChangeDto),
    undoneBy: z.string().nullable(),
    undoneAt: z.string().nullable(),
  })
  .meta({ id: "OptimizerChange" });
export type OptimizerChangeDto = z.infer<typeof optimizerChangeDto>;

export const optimizeResultDto = z
  .object({ suggestions: z.array(optimizerSuggestionDto), applied: z.boolean(), change: optimizerChangeDto.nullable() })
  .meta({ id: "OptimizeResult" });

export const toPair = (i: Interval): [number, number] => [i.low, i.high];
