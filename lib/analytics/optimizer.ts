// The optimizer: per task type, the agents clearly better or worse than the rest (their Wilson interval lies
// wholly above or below the type's pooled rate), with the evidence; applying the suggestions nudges the v1
// router's type-rule weights, audited, and one click undoes exactly that.
import { randomUUID } from "node:crypto";
import type { Db, Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/actor";
import { requireAdmin } from "@/lib/auth/policy";
import { recordEvent } from "@/lib/audit/record";
import { Conflict, NotFound } from "@/lib/errors";
import { matrix } from "./metrics";
import type { OptimizeInput } from "./schema";
import { optimizeInput, type OptimizerChangeDto, type RuleChange, type Suggestion } from "./schema";
import { rate, wilson } from "./stats";
import { windowStart } from "./window";
import { actionSql } from "@/lib/audit/actions";

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 on erf), enough for "how sure". */
function phi(z: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

const PREFER_STEP = 0.1;
const PREFER_NEW = 0.8;
const AVOID_STEP = 0.3;
const round2 = (x: number) => Math.round(x * 100) / 100;

export function proposedWeight(kind: Suggestion["kind"], current: number | null): number | null {
  if (kind === "prefer") return current === null ? PREFER_NEW : round2(Math.min(1, current + PREFER_STEP));
  return current === null ? null : round2(Math.max(0, current - AVOID_STEP));
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The suggestions for a window's outcomes (pure given the matrix and the current type rules). */
export async function suggest(db: Tx, raw: OptimizeInput = {}): Promise<Suggestion[]> {
  const input = optimizeInput.parse(raw);
  const [cells, rules, changes] = await Promise.all([
    matrix(db, windowStart(input.window)),
    db.routingRule.findMany({ where: { kind: "type" }, select: { agent: true, pattern: true, weight: true } }),
    db.optimizerChange.findMany({ where: { undoneAt: null }, orderBy: { appliedAt: "desc" }, take: 50 }),
  ]);
  /** The latest live application that set this rule to the weight it has now: the suggestion is already applied. */
  const appliedTo = (agent: string, type: string, weight: number | null): Suggestion["applied"] => {
    if (weight === null) return null;
    for (const ch of changes)
      for (const c of ch.changes as unknown as RuleChange[])
        if (c.agent === agent && c.pattern === type)
          return c.after === weight ? { changeId: ch.id, at: ch.appliedAt.toISOString(), by: ch.appliedBy } : null;
    return null;
  };
  const weightOf = (agent: string, type: string) =>
    rules.find((r) => r.agent === agent && r.pattern === type)?.weight ?? null;
  const types = new Map<string, { n: number; s: number }>();
  for (const c of cells) {
    const t = types.get(c.taskType) ?? { n: 0, s: 0 };
    t.n += c.tasks;
    t.s += c.successes;
    types.set(c.taskType, t);
  }
  const out: Suggestion[] = [];
  for (const c of cells) {
    if (c.tasks < input.minSamples) continue;
    const type = types.get(c.taskType)!;
    const typeRate = rate(type.s, type.n);
    const w = wilson(c.successes, c.tasks);
    const kind = w.low > typeRate ? "prefer" : w.high < typeRate ? "avoid" : null;
    if (!kind) continue;
    const se = Math.sqrt(Math.max(c.successRate * (1 - c.successRate), 1e-6) / c.tasks);
    const certainty = phi(Math.abs(c.successRate - typeRate) / se);
    const current = weightOf(c.agent, c.taskType);
    const applied = appliedTo(c.agent, c.taskType, current);
    const proposed = applied ? null : proposedWeight(kind, current);
    const noRule =
      kind === "avoid" && current === null
        ? ` No type rule sends ${c.taskType} work to ${c.agent}, so there is no weight to lower; the router's model already learns from these outcomes.`
        : "";
    out.push({
      kind,
      agent: c.agent,
      taskType: c.taskType,
      reason:
        (kind === "prefer"
          ? `${c.agent} succeeds at ${c.taskType} ${pct(c.successRate)} of the time (${c.successes}/${c.tasks}); even its interval's low end, ${pct(w.low)}, beats the type's ${pct(typeRate)}.`
          : `${c.agent} succeeds at ${c.taskType} only ${pct(c.successRate)} of the time (${c.successes}/${c.tasks}); even its interval's high end, ${pct(w.high)}, is below the type's ${pct(typeRate)}.`) +
        noRule,
      evidence: {
        successes: c.successes,
        tasks: c.tasks,
        successRate: c.successRate,
        interval: [w.low, w.high],
        typeRate,
        typeTasks: type.n,
        certainty,
        ruleWeight: current,
        proposedWeight: proposed,
      },
      applied,
    });
  }
  return out.sort(
    (a, b) =>
      a.taskType.localeCompare(b.taskType) ||
      (a.kind === b.kind ? b.evidence.certainty - a.evidence.certainty : a.kind === "prefer" ? -1 : 1),
  );
}

function toChangeDto(row: {
  id: string;
  appliedBy: string;
  appliedAt: Date;
  suggestions: Prisma.JsonValue;
  changes: Prisma.JsonValue;
  undoneBy: string | null;
  undoneAt: Date | null;
}): OptimizerChangeDto {
  return {
    id: row.id,
    appliedBy: row.appliedBy,
    appliedAt: row.appliedAt.toISOString(),
    suggestions: row.suggestions as unknown as Suggestion[],
    changes: row.changes as unknown as RuleChange[],
    undoneBy: row.undoneBy,
    undoneAt: row.undoneAt?.toISOString() ?? null,
  };
}

/** `POST /analytics/optimize`: a dry run lists the suggestions; otherwise (admin) applies them. */
export async function optimize(
  db: Db,
  actor: Actor,
  raw: OptimizeInput,
): Promise<{ suggestions: Suggestion[]; applied: boolean; change: OptimizerChangeDto | null }> {
  const input = optimizeInput.parse(raw);
  if (input.dryRun) return { suggestions: await suggest(db, input), applied: false, change: null };
  requireAdmin(actor, "apply the optimizer's suggestions");
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`LOCK TABLE routing_rules IN SHARE ROW EXCLUSIVE MODE`;
    const suggestions = await suggest(tx, input);
    const changes: RuleChange[] = [];
    for (const s of suggestions) {
      const after = s.evidence.proposedWeight;
      if (after === null || after === s.evidence.ruleWeight) continue;
      const existing = await tx.routingRule.findUnique({
        where: { agent_kind_pattern: { agent: s.agent, kind: "type", pattern: s.taskType } },
      });
      const rule = existing
        ? await tx.routingRule.update({ where: { id: existing.id }, data: { weight: after } })
        : await tx.routingRule.create({
            data: { id: randomUUID(), agent: s.agent, kind: "type", pattern: s.taskType, weight: after },
          });
      changes.push({
        ruleId: rule.id,
        agent: s.agent,
        kind: "type",
        pattern: s.taskType,
        before: existing ? { weight: existing.weight, updatedAt: existing.updatedAt.toISOString() } : null,
        after,
      });
    }
    const row = await tx.optimizerChange.create({
      data: {
        id: randomUUID(),
        appliedBy: actor.label,
        suggestions: suggestions as unknown as Prisma.InputJsonArray,
        changes: changes as unknown as Prisma.InputJsonArray,
      },
    });
    await recordEvent(tx, {
      actor,
      action: "optimizer.applied",
      subject: `optimizer:${row.id}`,
      details: {
        changes: changes.map((c) => ({
          agent: c.agent,
          taskType: c.pattern,
          from: c.before?.weight ?? null,
          to: c.after,
        })),
      } as Prisma.InputJsonObject,
    });
    return { suggestions, applied: true, change: toChangeDto(row) };
  });
}

export async function optimizerHistory(db: Tx, limit = 20): Promise<OptimizerChangeDto[]> {
  return (await db.optimizerChange.findMany({ orderBy: { appliedAt: "desc" }, take: limit })).map(toChangeDto);
}

/**
 * An undo puts back what a change found, so it may only run over what the change left: not over a later change of
 * the optimizer's that is still in force (undo that one first), nor over a person's edit made since.
 */
async function refuseOverwrite(tx: Tx, id: string, appliedAt: Date, changes: RuleChange[]): Promise<void> {
  const ruleIds = new Set(changes.map((c) => c.ruleId));
  const later = await tx.optimizerChange.findMany({
    where: { appliedAt: { gt: appliedAt }, undoneAt: null, id: { not: id } },
    orderBy: { appliedAt: "desc" },
  });
  for (const other of later) {
    const touched = (other.changes as unknown as RuleChange[]).find((c) => ruleIds.has(c.ruleId));
    if (touched)
      throw new Conflict(
        `The optimizer changed ${touched.agent}'s ${touched.pattern} weight again since (change ${other.id}, ` +
          `${other.appliedAt.toISOString()}): undo that change first, then this one.`,
      );
  }
  for (const c of changes) {
    const rule = await tx.routingRule.findUnique({ where: { id: c.ruleId } });
    const what = `${c.agent}'s ${c.kind} rule for ${c.pattern}`;
    if (!rule)
      throw new Conflict(`${what} was deleted since this change; undoing it would bring back a rule a person removed.`);
    const [edited] = await tx.$queryRaw<{ actor: string; at: Date }[]>`
      SELECT actor, at FROM audit_events
      WHERE action = ${Prisma.raw(actionSql("routing.rule_updated"))} AND at > ${appliedAt} AND subject = ${`agent:${c.agent}`}
        AND details->>'kind' = ${c.kind} AND details->>'pattern' = ${c.pattern}
      ORDER BY at DESC LIMIT 1`;
    if (rule.weight !== c.after || edited)
      throw new Conflict(
        `${what} was edited since this change (weight now ${rule.weight}, this change set ${c.after}` +
          `${edited ? `; by ${edited.actor} at ${edited.at.toISOString()}` : ""}): undoing would overwrite that edit. ` +
          `Set the weight on the Routing page instead.`,
      );
  }
}

/** Puts the rules back exactly as they were before that application: weights and their update times; rules it created go. */
export async function undoOptimizerChange(db: Db, actor: Actor, id: string): Promise<OptimizerChangeDto> {
  requireAdmin(actor, "undo the optimizer's changes");
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM optimizer_changes WHERE id = ${id} FOR UPDATE`;
    if (!locked.length) throw new NotFound(`No optimizer change ${id}.`);
    const row = await tx.optimizerChange.findUniqueOrThrow({ where: { id } });
    if (row.undoneAt) throw new Conflict(`That change was already undone by ${row.undoneBy}.`);
    const changes = row.changes as unknown as RuleChange[];
    // Rules are edited by hand and by the optimizer under this lock: what is checked below stays true until commit.
    await tx.$executeRaw`LOCK TABLE routing_rules IN SHARE ROW EXCLUSIVE MODE`;
    await refuseOverwrite(tx, row.id, row.appliedAt, changes);
    for (const c of [...changes].reverse()) {
      if (c.before) {
        await tx.$executeRaw`UPDATE routing_rules SET weight = ${c.before.weight}, updated_at = ${new Date(c.before.updatedAt)} WHERE id = ${c.ruleId}`;
      } else {
        await tx.routingRule.deleteMany({ where: { id: c.ruleId } });
      }
    }
    const undone = await tx.optimizerChange.update({
      where: { id },
      data: { undoneBy: actor.label, undoneAt: new Date() },
    });
    await recordEvent(tx, {
      actor,
      action: "optimizer.undone",
      subject: `optimizer:${id}`,
      details: { changes: changes.length },
    });
    return toChangeDto(undone);
  });
}
