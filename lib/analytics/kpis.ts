// The seed's phase KPIs, each computed by PostgreSQL over a time window, with its target and how much data
// it rests on: a KPI over too few samples says so instead of a red "bad".
import type { z } from "zod";
import type { Tx } from "@/lib/db/client";
import type { kpiDto } from "./schema";
import { matrixOf, rolledCells, routingOutcomesOf, taskCounts, type RolledCell } from "./metrics";
import { actionSql } from "@/lib/audit/actions";
import { Prisma } from "@/lib/generated/prisma/client";

/** A KPI: its value, target and status; `samples` is how many things it rests on, `enoughData` whether that suffices. */
export type Kpi = z.infer<typeof kpiDto>;

/** ok at or above target, warn within 80% of it, bad below. */
export function statusAtLeast(value: number, target: number): Kpi["status"] {
  return value >= target ? "ok" : value >= target * 0.8 ? "warn" : "bad";
}

/** ok below target, warn up to 1.5× it, bad beyond. */
export function statusBelow(value: number, target: number): Kpi["status"] {
  return value < target ? "ok" : value < target * 1.5 ? "warn" : "bad";
}

export const KPI_TARGETS = {
  autoScheduledShare: 0.5,
  voteResolutionRate: 0.8,
  routingAccuracy: 0.92,
  handoffsPerDay: 3,
} as const;
const MIN_SAMPLES = { autoScheduledShare: 10, voteResolutionRate: 5, routingAccuracy: 20, handoffsPerDay: 1 } as const;

/** The share of tasks that auto-scheduling rules created. */
export async function autoScheduledShare(db: Tx, since?: Date): Promise<Kpi & { auto: number; total: number }> {
  return autoScheduledShareOf(await taskCounts(db, since));
}

/** The same from counts already taken (the dashboard counts tasks once for this and the queue's depth). */
export function autoScheduledShareOf({ total, auto }: { total: number; auto: number }): Kpi & {
  auto: number;
  total: number;
} {
  const value = total ? auto / total : 0;
  const target = KPI_TARGETS.autoScheduledShare;
  return {
    value,
    target,
    status: statusAtLeast(value, target),
    samples: total,
    enoughData: total >= MIN_SAMPLES.autoScheduledShare,
    auto,
    total,
  };
}

/** The share of resolved votes the agents settled themselves, without a person deciding. */
export async function voteResolutionRate(
  db: Tx,
  since?: Date,
): Promise<Kpi & { selfDecided: number; resolved: number }> {
  const [row] = await db.$queryRaw<{ resolved: number; self_decided: number }[]>`
    SELECT count(*)::int AS resolved, count(*) FILTER (WHERE status = 'decided' AND decided_by IS NULL)::int AS self_decided
    FROM votes WHERE status <> 'open' AND (${since ?? null}::timestamptz IS NULL OR resolved_at >= ${since ?? null}::timestamptz)`;
  const { resolved, self_decided: selfDecided } = row!;
  const value = resolved ? selfDecided / resolved : 0;
  const target = KPI_TARGETS.voteResolutionRate;
  return {
    value,
    target,
    status: statusAtLeast(value, target),
    samples: resolved,
    enoughData: resolved >= MIN_SAMPLES.voteResolutionRate,
    selfDecided,
    resolved,
  };
}

/**
 * Human handoffs a day: escalations opened, plus reassignments by hand — one per act, so a bulk reassignment of
 * N tasks is one handoff (a reassignment that decides an escalation is that escalation, not a second handoff). Over the window, or since the first event.
 */
export async function handoffsPerDay(
  db: Tx,
  since?: Date,
  now = new Date(),
): Promise<Kpi & { escalations: number; reassignments: number; days: number }> {
  const [row] = await db.$queryRaw<{ escalations: number; reassignments: number; first: Date | null }[]>`
    SELECT
      (SELECT count(*)::int FROM escalations WHERE ${since ?? null}::timestamptz IS NULL OR created_at >= ${since ?? null}::timestamptz) AS escalations,
      (SELECT count(*)::int FROM audit_events
        WHERE ((action = ${Prisma.raw(actionSql("task.reassigned"))} AND NOT details ? 'escalation' AND NOT details ? 'bulk')
            OR (action = ${Prisma.raw(actionSql("task.bulk"))} AND details->>'action' = 'reassign' AND (details->>'done')::int > 0))
          AND (${since ?? null}::timestamptz IS NULL OR at >= ${since ?? null}::timestamptz)) AS reassignments,
      (SELECT min(at) FROM audit_events) AS first`;
  const { escalations, reassignments, first } = row!;
  const start = since && first && since > first ? since : (first ?? now);
  const days = Math.max(0, (now.getTime() - start.getTime()) / 86_400_000);
  const value = (escalations + reassignments) / Math.max(days, 1);
  const target = KPI_TARGETS.handoffsPerDay;
  return {
    value,
    target,
    status: statusBelow(value, target),
    samples: Math.floor(days),
    enoughData: days >= MIN_SAMPLES.handoffsPerDay,
    escalations,
    reassignments,
    days,
  };
}

/**
 * Routing accuracy, one figure per routed task: of the routed tasks that ended in the window, the share completed
 * by the agent the router chose — a task a fallback had to finish, or one that failed, counts against it. Beside
 * it, `fallbackSaved`: how many routed tasks another agent (a fallback, a reassignment) completed; and
 * `agreement`: how often the router chose the agent that proved best at that task type in hindsight (the highest
 * Wilson lower bound over the same window).
 */
export async function routingAccuracy(
  db: Tx,
  since?: Date,
): Promise<Kpi & { agreement: number; routed: number; fallbackSaved: number }> {
  return routingAccuracyOf(await rolledCells(db, since));
}

/** Routing accuracy from the window's rollup cells (the dashboard reads them once for all its figures). */
export function routingAccuracyOf(
  rolled: RolledCell[],
): Kpi & { agreement: number; routed: number; fallbackSaved: number } {
  const routed = routingOutcomesOf(rolled);
  const cells = matrixOf(rolled);
  const best = new Map<string, { agent: string; rating: number }>();
  for (const c of cells) {
    const current = best.get(c.taskType);
    if (!current || c.rating > current.rating) best.set(c.taskType, { agent: c.agent, rating: c.rating });
  }
  const all = routed.routedByType.reduce((s, r) => s + r.n, 0);
  const agreeing = routed.routedByType
    .filter((r) => best.get(r.taskType)?.agent === r.routedAgent)
    .reduce((s, r) => s + r.n, 0);
  const value = all ? routed.completedByRouted / all : 0;
  const target = KPI_TARGETS.routingAccuracy;
  return {
    value,
    target,
    status: statusAtLeast(value, target),
    samples: all,
    enoughData: all >= MIN_SAMPLES.routingAccuracy,
    agreement: all ? agreeing / all : 0,
    routed: all,
    fallbackSaved: routed.completedByOther,
  };
}
