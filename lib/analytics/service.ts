// The Analytics API's answers: the dashboard, one agent, one task type, the leaderboard; and recording an
// outcome directly, as the seed's `record` command does.
import type { Db, Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { requireAgentOrAdmin } from "@/lib/auth/policy";
import { recordEvent } from "@/lib/audit/record";
import { Invalid, NotFound } from "@/lib/errors";
import { recordOutcome } from "@/lib/outcomes/record";
import { autoScheduledShareOf, handoffsPerDay, routingAccuracyOf, voteResolutionRate } from "./kpis";
import {
  agentFigures,
  agentFiguresOf,
  medianDuration,
  rolledCells,
  taskCounts,
  totalsOf,
  trend,
  typeFigures,
} from "./metrics";
import {
  outcomeInput,
  type AgentAnalyticsDto,
  type AgentFigures,
  type DashboardDto,
  type OutcomeInput,
} from "./schema";
import { rate } from "./stats";
import { activeSql } from "@/lib/agents/status";

export async function dashboard(db: Tx, since?: Date): Promise<DashboardDto> {
  // The rollups are read once: totals, the top performers and routing accuracy all come from the same cells.
  const [cells, counts, votes, handoffs, active] = await Promise.all([
    rolledCells(db, since),
    taskCounts(db, since),
    voteResolutionRate(db, since),
    handoffsPerDay(db, since),
    db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM agents a WHERE ${activeSql("a")}`),
  ]);
  const t = totalsOf(cells);
  const agents = agentFiguresOf(cells);
  const routing = routingAccuracyOf(cells);
  const auto = autoScheduledShareOf(counts);
  const queue = counts.depth;
  return {
    since: since?.toISOString() ?? null,
    totalTasks: t.outcomes,
    successRate: rate(t.successes, t.outcomes),
    activeAgents: active[0]?.n ?? 0,
    agentsWithOutcomes: t.agents,
    taskTypes: t.taskTypes,
    topPerformers: agents
      .slice(0, 5)
      .map((a) => ({ agent: a.agent, successRate: a.successRate, tasks: a.tasks, rating: a.rating })),
    kpis: { autoScheduledShare: auto, voteResolutionRate: votes, routingAccuracy: routing, handoffsPerDay: handoffs },
    queue,
  };
}

export async function agentAnalytics(db: Tx, name: string, since?: Date): Promise<AgentAnalyticsDto> {
  const known = await db.agent.findUnique({ where: { name }, select: { name: true } });
  const [all, byType, median, points, recent] = await Promise.all([
    agentFigures(db, since),
    typeFigures(db, since, name),
    medianDuration(db, name, since),
    trend(db, since, name),
    db.outcome.findMany({
      where: { agent: name, ...(since ? { at: { gte: since } } : {}) },
      orderBy: { at: "desc" },
      take: 20,
    }),
  ]);
  const mine = all.find((a) => a.agent === name);
  if (!known && !mine) throw new NotFound(`No agent named ${name}.`);
  const f: Omit<AgentFigures, "agent"> = mine ?? {
    tasks: 0,
    successes: 0,
    successRate: 0,
    avgDurationMinutes: null,
    reworkRate: 0,
    rating: 0,
    interval: [0, 1],
  };
  return {
    agent: name,
    tasks: f.tasks,
    successRate: f.successRate,
    avgDurationMinutes: f.avgDurationMinutes,
    medianDurationMinutes: median,
    reworkRate: f.reworkRate,
    rating: f.rating,
    interval: f.interval,
    byTaskType: byType,
    trend: points,
    recent: recent.map((o) => ({
      taskId: o.taskId,
      taskType: o.taskType,
      success: o.success,
      durationMinutes: o.durationMinutes,
      rework: o.rework,
      description: o.description,
      at: o.at.toISOString(),
    })),
  };
}

export async function taskTypeAnalytics(
  db: Tx,
  type: string,
  since?: Date,
): Promise<{ type: string; agents: AgentFigures[] }> {
  return { type, agents: await agentFigures(db, since, type) };
}

export async function leaderboard(
  db: Tx,
  since?: Date,
  taskType?: string,
): Promise<{ items: AgentFigures[]; taskType: string | null }> {
  return { items: await agentFigures(db, since, taskType), taskType: taskType ?? null };
}

/** `POST /outcomes`: an admin records for any agent; an agent only for itself. */
export async function recordOutcomeFromApi(db: Db, actor: Actor, raw: OutcomeInput) {
  const input = outcomeInput.parse(raw);
  requireAgentOrAdmin(actor, input.agent, "record outcomes");
  if (!(await db.agent.findUnique({ where: { name: input.agent }, select: { name: true } }))) {
    throw new Invalid(`Unknown agent ${input.agent}.`, [{ path: "agent", message: `No agent named ${input.agent}.` }]);
  }
  return db.$transaction(async (tx) => {
    if (input.taskId && !(await tx.task.findUnique({ where: { id: input.taskId }, select: { id: true } }))) {
      throw new Invalid(`Unknown task ${input.taskId}.`, [{ path: "taskId", message: `No task ${input.taskId}.` }]);
    }
    const at = new Date();
    const id = await recordOutcome(tx, { ...input, durationMinutes: input.durationMinutes, rework: input.rework, at });
    await recordEvent(tx, {
      actor,
      action: "outcome.recorded",
      subject: `agent:${input.agent}`,
      details: {
        taskType: input.taskType,
        success: input.success,
        durationMinutes: input.durationMinutes,
        rework: input.rework,
        ...(input.taskId ? { taskId: input.taskId } : {}),
      },
    });
    return { id: Number(id), ...input, at: at.toISOString() };
  });
}
