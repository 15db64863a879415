// The v1 router's rules: per agent, task types and keywords with weights — list, create, change, delete, and the
// first run's seeding of the defaults (./default-rules.ts).
import { randomUUID } from "node:crypto";
import type { Db, Tx } from "@/lib/db/client";
import type { RoutingRule } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/actor";
import { requireAdmin } from "@/lib/auth/policy";
import { recordEvent } from "@/lib/audit/record";
import { Conflict, Invalid, NotFound } from "@/lib/errors";
import { DEFAULT_RULES } from "./default-rules";
import type { RoutingRuleDto, RuleInput } from "./schema";

export function toRuleDto(r: RoutingRule): RoutingRuleDto {
  return {
    id: r.id,
    agent: r.agent,
    kind: r.kind,
    pattern: r.pattern,
    weight: r.weight,
    updatedAt: r.updatedAt.toISOString(),
  };
}

export async function listRules(db: Tx): Promise<RoutingRuleDto[]> {
  return (
    await db.routingRule.findMany({
      orderBy: [{ agent: "asc" }, { kind: "asc" }, { weight: "desc" }, { pattern: "asc" }],
    })
  ).map(toRuleDto);
}

export async function seedDefaultRules(db: Tx): Promise<number> {
  const agents = new Set((await db.agent.findMany({ select: { name: true } })).map((a) => a.name));
  const data = Object.entries(DEFAULT_RULES)
    .filter(([agent]) => agents.has(agent))
    .flatMap(([agent, r]) => [
      ...Object.entries(r.types).map(([pattern, weight]) => ({
        id: randomUUID(),
        agent,
        kind: "type" as const,
        pattern,
        weight,
      })),
      ...Object.entries(r.keywords).map(([pattern, weight]) => ({
        id: randomUUID(),
        agent,
        kind: "keyword" as const,
        pattern,
        weight,
      })),
    ]);
  const { count } = await db.routingRule.createMany({ data, skipDuplicates: true });
  return count;
}

export async function createRule(db: Db, actor: Actor, input: RuleInput): Promise<RoutingRuleDto> {
  requireAdmin(actor, "edit routing rules");
  return db.$transaction(async (tx) => {
    if (!(await tx.agent.findUnique({ where: { name: input.agent }, select: { name: true } }))) {
      throw new Invalid(`Unknown agent ${input.agent}.`, [
        { path: "agent", message: `No agent named ${input.agent}.` },
      ]);
    }
    const pattern = input.pattern.toLowerCase();
    if (
      await tx.routingRule.findUnique({
        where: { agent_kind_pattern: { agent: input.agent, kind: input.kind, pattern } },
      })
    ) {
      throw new Conflict(`${input.agent} already has a ${input.kind} rule for "${pattern}".`);
    }
    const rule = await tx.routingRule.create({ data: { id: randomUUID(), ...input, pattern } });
    await recordEvent(tx, {
      actor,
      action: "routing.rule_created",
      subject: `agent:${rule.agent}`,
      details: { kind: rule.kind, pattern: rule.pattern, weight: rule.weight },
    });
    return toRuleDto(rule);
  });
}

/**
 * The rule, locked for the rest of the transaction: of concurrent edits and deletes one goes first, and the rest see
 * what it left (a deleted rule is a 404, never a 500).
 */
async function lockRoutingRule(tx: Tx, id: string) {
  await tx.$queryRaw`SELECT id FROM routing_rules WHERE id = ${id} FOR UPDATE`;
  const rule = await tx.routingRule.findUnique({ where: { id } });
  if (!rule) throw new NotFound(`No routing rule ${id}.`);
  return rule;
}

export async function updateRule(
  db: Db,
  actor: Actor,
  id: string,
  input: { weight?: number; pattern?: string },
): Promise<RoutingRuleDto> {
  requireAdmin(actor, "edit routing rules");
  return db.$transaction(async (tx) => {
    const before = await lockRoutingRule(tx, id);
    const rule = await tx.routingRule.update({
      where: { id },
      data: { ...input, ...(input.pattern ? { pattern: input.pattern.toLowerCase() } : {}) },
    });
    await recordEvent(tx, {
      actor,
      action: "routing.rule_updated",
      subject: `agent:${rule.agent}`,
      details: { kind: rule.kind, pattern: rule.pattern, weight: { from: before.weight, to: rule.weight } },
    });
    return toRuleDto(rule);
  });
}

export async function deleteRule(db: Db, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor, "edit routing rules");
  await db.$transaction(async (tx) => {
    const rule = await lockRoutingRule(tx, id);
    await tx.routingRule.delete({ where: { id } });
    await recordEvent(tx, {
      actor,
      action: "routing.rule_deleted",
      subject: `agent:${rule.agent}`,
      details: { kind: rule.kind, pattern: rule.pattern },
    });
  });
}
