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

/**
 * The window's sums per agent, task type and routed agent: a few hundred rows from one scan of the rollups, from
 * which the per-agent figures, the heat map, the totals and routing accuracy are all derived (the Overview used to
 * scan the rollups four times, once for each).
 */
export interface RolledCell {
  agent: string;
  taskType: string;
  routedAgent: string;
  n: number;
  successes: number;
  reworks: number;
  durationSum: number;
  durationN: number;
  taskEnds: number;
  taskEndSuccesses: number;
}

export async function rolledCells(db: Tx, since?: Date): Promise<RolledCell[]> {
  return db.$queryRawUnsafe<RolledCell[]>(
    `WITH ${ROLLED}
     SELECT agent, task_type AS "taskType", routed_agent AS "routedAgent", sum(outcomes)::int AS n,
            sum(successes)::int AS successes, sum(reworks)::int AS reworks, sum(duration_sum)::float8 AS "durationSum",
            sum(duration_n)::int AS "durationN", sum(task_ends)::int AS "taskEnds",
            sum(task_end_successes)::int AS "taskEndSuccesses"
     FROM rolled GROUP BY 1, 2, 3`,
    since$(since),
  );
}

/** Cells summed by `key` (cells with no outcomes left out). */
function sumBy(cells: RolledCell[], key: (c: RolledCell) => string): SumRow[] {
  const out = new Map<string, SumRow>();
  for (const c of cells) {
    const k = key(c);
    const r = out.get(k) ?? { key: k, n: 0, successes: 0, reworks: 0, duration_sum: 0, duration_n: 0 };
    r.n += c.n;
    r.successes += c.successes;
    r.reworks += c.reworks;
    r.duration_sum += c.durationSum;
    r.duration_n += c.durationN;
    out.set(k, r);
  }
  return [...out.values()].filter((r) => r.n > 0);
}

/** Per agent (optionally on one task type), ranked by rating, from the window's cells. */
export function agentFiguresOf(cells: RolledCell[], taskType?: string): AgentFigures[] {
  return sumBy(taskType === undefined ? cells : cells.filter((c) => c.taskType === taskType), (c) => c.agent)
    .map((r) => ({ agent: r.key, ...figures(r) }))
    .sort(byRating);
}

/** Per agent (optionally on one task type), ranked by rating. */
export async function agentFigures(db: Tx, since?: Date, taskType?: string): Promise<AgentFigures[]> {
  return agentFiguresOf(await rolledCells(db, since), taskType);
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

/** Agent × task type from the window's cells. */
export function matrixOf(cells: RolledCell[]): MatrixCell[] {
  return sumBy(cells, (c) => `${c.agent}\u0000${c.taskType}`).map((r) => {
    const [agent, taskType] = r.key.split("\u0000") as [string, string];
    return { agent, taskType, ...figures(r) };
  });
}

/** Agent × task type: the heat map's cells. */
export async function matrix(db: Tx, since?: Date): Promise<MatrixCell[]> {
  return matrixOf(await rolledCells(db, since));
}

export interface Totals {
  outcomes: number;
  successes: number;
  reworks: number;
  agents: number;
  taskTypes: number;
}

/** The window's totals from its cells. */
export function totalsOf(cells: RolledCell[]): Totals {
  const counted = cells.filter((c) => c.n > 0);
  return {
    outcomes: counted.reduce((s, c) => s + c.n, 0),
    successes: counted.reduce((s, c) => s + c.successes, 0),
    reworks: counted.reduce((s, c) => s + c.reworks, 0),
    agents: new Set(counted.map((c) => c.agent)).size,
    taskTypes: new Set(counted.map((c) => c.taskType)).size,
  };
}

export async function totals(db: Tx, since?: Date): Promise<Totals> {
  return totalsOf(await rolledCells(db, since));
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

/** Routing outcomes from the window's cells. */
export function routingOutcomesOf(cells: RolledCell[]): RoutingOutcomes {
  const routed = cells.filter((c) => c.routedAgent !== "");
  const byType = new Map<string, { taskType: string; routedAgent: string; n: number }>();
  for (const c of routed) {
    const k = `${c.taskType}\u0000${c.routedAgent}`;
    const r = byType.get(k) ?? { taskType: c.taskType, routedAgent: c.routedAgent, n: 0 };
    r.n += c.taskEnds;
    byType.set(k, r);
  }
  return {
    routedTasks: routed.reduce((s, c) => s + c.taskEnds, 0),
    completedByRouted: routed.filter((c) => c.agent === c.routedAgent).reduce((s, c) => s + c.taskEndSuccesses, 0),
    completedByOther: routed.filter((c) => c.agent !== c.routedAgent).reduce((s, c) => s + c.taskEndSuccesses, 0),
    routedByType: [...byType.values()].filter((r) => r.n > 0),
  };
}

export async function routingOutcomes(db: Tx, since?: Date): Promise<RoutingOutcomes> {
  return routingOutcomesOf(await rolledCells(db, since));
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

export type QueueDepth = Record<"pending" | "in_progress" | "completed" | "failed" | "cancelled", number>;

/** Tasks by state (all of them) and, over the window, how many there are and how many rules created: one scan. */
export async function taskCounts(db: Tx, since?: Date): Promise<{ depth: QueueDepth; total: number; auto: number }> {
  const [row] = await db.$queryRawUnsafe<(QueueDepth & { total: number; auto: number })[]>(
    `SELECT count(*) FILTER (WHERE state = 'pending')::int AS pending,
            count(*) FILTER (WHERE state = 'in_progress')::int AS in_progress,
            count(*) FILTER (WHERE state = 'completed')::int AS completed,
            count(*) FILTER (WHERE state = 'failed')::int AS failed,
            count(*) FILTER (WHERE state = 'cancelled')::int AS cancelled,
            count(*) FILTER (WHERE $1::timestamptz IS NULL OR created_at >= $1::timestamptz)::int AS total,
            count(*) FILTER (WHERE ($1::timestamptz IS NULL OR created_at >= $1::timestamptz) AND source = 'auto')::int AS auto
     FROM tasks`,
    since$(since),
  );
  const { total, auto, ...depth } = row!;
  return { depth, total, auto };
}

export async function queueDepth(db: Tx): Promise<QueueDepth> {
  return (await taskCounts(db)).depth;
}

/** Every task type outcomes have been recorded for, for filters. */
export async function knownTaskTypes(db: Tx): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ t: string }[]>(
    `SELECT DISTINCT task_type AS t FROM outcome_rollups ORDER BY 1`,
  );
  return rows.map((r) => r.t);
}
