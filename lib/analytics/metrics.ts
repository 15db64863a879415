// Every analytics figure, computed by PostgreSQL from the hourly rollups. A window that starts mid-hour adds
// that hour's outcomes from the raw table, so windows are exact while the bulk comes from a few thousand rows.
import type { Tx } from "@/lib/db/client";
import { rate, rating, wilson } from "./stats";
import { toPair, type AgentFigures, type TrendPoint, type TypeFigures } from "./schema";

/**
 * `rolled`: rollup-shaped rows for outcomes since `$1` (null: all time), from the rollups for whole hours and
 * from `outcomes` for the partial first hour.
 */
const ROLLED = `rolled AS (
    SELECT hour, agent, task_type, routed_agent, outcomes, successes, reworks, duration_sum, duration_n,
           under_5, under_15, under_30, under_60, under_120, over_120, task_ends, task_end_successes
    FROM outcome_rollups
    WHERE $1::timestamptz IS NULL OR hour >= date_trunc('hour', $1::timestamptz, 'UTC') + interval '1 hour'
    UNION ALL
    SELECT date_trunc('hour', at, 'UTC'), agent, task_type, coalesce(routed_agent, ''), 1, success::int, rework::int,
           coalesce(duration_minutes, 0), (duration_minutes IS NOT NULL)::int,
           (duration_minutes < 5)::int, (duration_minutes >= 5 AND duration_minutes < 15)::int,
           (duration_minutes >= 15 AND duration_minutes < 30)::int, (duration_minutes >= 30 AND duration_minutes < 60)::int,
           (duration_minutes >= 60 AND duration_minutes < 120)::int, (duration_minutes >= 120)::int,
           ends_task::int, (ends_task AND success)::int
    FROM outcomes
    WHERE $1::timestamptz IS NOT NULL AND at >= $1::timestamptz AND at < date_trunc('hour', $1::timestamptz, 'UTC') + interval '1 hour'
  )`;

interface SumRow {
  key: string;
  n: number;
  successes: number;
  reworks: number;
  duration_sum: number;
  duration_n: number;
}

const SUMS = `sum(outcomes)::int AS n, sum(successes)::int AS successes, sum(reworks)::int AS reworks,
  sum(duration_sum)::float8 AS duration_sum, sum(duration_n)::int AS duration_n`;

function figures(r: SumRow): Omit<AgentFigures, "agent"> {
  return {
    tasks: r.n,
    successes: r.successes,
    successRate: rate(r.successes, r.n),
    avgDurationMinutes: r.duration_n ? r.duration_sum / r.duration_n : null,
    reworkRate: rate(r.reworks, r.n),
    rating: rating(r.successes, r.n),
    interval: toPair(wilson(r.successes, r.n)),
  };
}

const byRating = <T extends { rating: number; tasks: number }>(a: T, b: T) => b.rating - a.rating || b.tasks - a.tasks;

const since$ = (since?: Date) => since?.toISOString() ?? null;

/** Per agent (optionally on one task type), ranked by rating. */
export async function agentFigures(db: Tx, since?: Date, taskType?: string): Promise<AgentFigures[]> {
  const rows = await db.$queryRawUnsafe<SumRow[]>(
    `WITH ${ROLLED} SELECT agent AS key, ${SUMS} FROM rolled WHERE $2::text IS NULL OR task_type = $2 GROUP BY agent`,
    since$(since),
    taskType ?? null,
  );
  return rows.map((r) => ({ agent: r.key, ...figures(r) })).sort(byRating);
}

/** Per task type (optionally for one agent), most outcomes first. */
export async function typeFigures(db: Tx, since?: Date, agent?: string): Promise<TypeFigures[]> {
  const rows = await db.$queryRawUnsafe<SumRow[]>(
    `WITH ${ROLLED} SELECT task_type AS key, ${SUMS} FROM rolled WHERE $2::text IS NULL OR agent = $2 GROUP BY task_type`,
    since$(since),
    agent ?? null,
  );
  return rows
    .map((r) => ({ taskType: r.key, ...figures(r) }))
    .sort((a, b) => b.tasks - a.tasks || a.taskType.localeCompare(b.taskType));
}

export interface MatrixCell extends Omit<AgentFigures, "agent"> {
  agent: string;
  taskType: string;
}

/** Agent × task type: the heat map's cells. */
export async function matrix(db: Tx, since?: Date): Promise<MatrixCell[]> {
  const rows = await db.$queryRawUnsafe<(SumRow & { task_type: string })[]>(
    `WITH ${ROLLED} SELECT agent AS key, task_type, ${SUMS} FROM rolled GROUP BY agent, task_type`,
    since$(since),
  );
  return rows.map((r) => ({ agent: r.key, taskType: r.task_type, ...figures(r) }));
}

export interface Totals {
  outcomes: number;
  successes: number;
  reworks: number;
  agents: number;
  taskTypes: number;
}

export async function totals(db: Tx, since?: Date): Promise<Totals> {
  const [row] = await db.$queryRawUnsafe<Totals[]>(
    `WITH ${ROLLED}
     SELECT coalesce(sum(outcomes), 0)::int AS outcomes, coalesce(sum(successes), 0)::int AS successes,
            coalesce(sum(reworks), 0)::int AS reworks, count(DISTINCT agent)::int AS agents, count(DISTINCT task_type)::int AS "taskTypes"
     FROM rolled`,
    since$(since),
  );
  return row!;
}

export const DURATION_BUCKETS = ["< 5 min", "5–15 min", "15–30 min", "30–60 min", "1–2 h", "> 2 h"] as const;

/** How long each agent's work takes: counts per duration bucket. */
export async function durationDistribution(db: Tx, since?: Date): Promise<{ agent: string; buckets: number[] }[]> {
  const rows = await db.$queryRawUnsafe<{ agent: string; b: number[] }[]>(
    `WITH ${ROLLED}
     SELECT agent, ARRAY[sum(under_5), sum(under_15), sum(under_30), sum(under_60), sum(under_120), sum(over_120)]::int[] AS b
     FROM rolled GROUP BY agent ORDER BY agent`,
    since$(since),
  );
  return rows.map((r) => ({ agent: r.agent, buckets: r.b }));
}

/** Outcomes and success rate per day (per hour for windows of a day or less), optionally for one agent. */
export async function trend(db: Tx, since?: Date, agent?: string, now = new Date()): Promise<TrendPoint[]> {
  const hourly = since !== undefined && now.getTime() - since.getTime() <= 86_400_000;
  const rows = await db.$queryRawUnsafe<{ at: Date; n: number; successes: number }[]>(
    `WITH ${ROLLED}
     SELECT date_trunc($3, hour, 'UTC') AS at, sum(outcomes)::int AS n, sum(successes)::int AS successes
     FROM rolled WHERE $2::text IS NULL OR agent = $2 GROUP BY 1 ORDER BY 1`,
    since$(since),
    agent ?? null,
    hourly ? "hour" : "day",
  );
  return rows.map((r) => ({ at: r.at.toISOString(), tasks: r.n, successRate: rate(r.successes, r.n) }));
}

/** Per agent and day: the series of the trend chart. */
export async function trendByAgent(
  db: Tx,
  since?: Date,
): Promise<{ day: string; agent: string; tasks: number; successRate: number }[]> {
  const rows = await db.$queryRawUnsafe<{ day: Date; agent: string; n: number; successes: number }[]>(
    `WITH ${ROLLED}
     SELECT date_trunc('day', hour, 'UTC') AS day, agent, sum(outcomes)::int AS n, sum(successes)::int AS successes
     FROM rolled GROUP BY 1, 2 ORDER BY 1, 2`,
    since$(since),
  );
  return rows.map((r) => ({
    day: r.day.toISOString().slice(0, 10),
    agent: r.agent,
    tasks: r.n,
    successRate: rate(r.successes, r.n),
  }));
}

export interface RoutingOutcomes {
  /** Routed tasks whose run ended in the window (one per task, however many attempts it took). */
  routedTasks: number;
  /** Of those, the ones completed by the agent the router chose, and the ones another agent (a fallback) completed. */
  completedByRouted: number;
  completedByOther: number;
  /** Routed tasks per task type and routed agent (for agreement with the best agent in hindsight). */
  routedByType: { taskType: string; routedAgent: string; n: number }[];
}

export async function routingOutcomes(db: Tx, since?: Date): Promise<RoutingOutcomes> {
  const rows = await db.$queryRawUnsafe<
    { task_type: string; routed_agent: string; n: number; by_routed: number; by_other: number }[]
  >(
    `WITH ${ROLLED}
     SELECT task_type, routed_agent, sum(task_ends)::int AS n,
            coalesce(sum(task_end_successes) FILTER (WHERE agent = routed_agent), 0)::int AS by_routed,
            coalesce(sum(task_end_successes) FILTER (WHERE agent <> routed_agent), 0)::int AS by_other
     FROM rolled WHERE routed_agent <> '' GROUP BY 1, 2`,
    since$(since),
  );
  return {
    routedTasks: rows.reduce((s, r) => s + r.n, 0),
    completedByRouted: rows.reduce((s, r) => s + r.by_routed, 0),
    completedByOther: rows.reduce((s, r) => s + r.by_other, 0),
    routedByType: rows
      .filter((r) => r.n > 0)
      .map((r) => ({ taskType: r.task_type, routedAgent: r.routed_agent, n: r.n })),
  };
}

/** The median of one agent's durations: from its own outcomes (an index on agent and time). */
export async function medianDuration(db: Tx, agent: string, since?: Date): Promise<number | null> {
  const [row] = await db.$queryRawUnsafe<{ median: number | null }[]>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_minutes)::float8 AS median
     FROM outcomes WHERE agent = $2 AND duration_minutes IS NOT NULL AND ($1::timestamptz IS NULL OR at >= $1::timestamptz)`,
    since$(since),
    agent,
  );
  return row?.median ?? null;
}

export async function queueDepth(
  db: Tx,
): Promise<Record<"pending" | "in_progress" | "completed" | "failed" | "cancelled", number>> {
  const rows = await db.$queryRawUnsafe<{ state: string; n: number }[]>(
    `SELECT state::text AS state, count(*)::int AS n FROM tasks GROUP BY state`,
  );
  const depth = { pending: 0, in_progress: 0, completed: 0, failed: 0, cancelled: 0 };
  for (const r of rows) depth[r.state as keyof typeof depth] = r.n;
  return depth;
}

/** Every task type outcomes have been recorded for, for filters. */
export async function knownTaskTypes(db: Tx): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ t: string }[]>(
    `SELECT DISTINCT task_type AS t FROM outcome_rollups ORDER BY 1`,
  );
  return rows.map((r) => r.t);
}
