// The v1 router's rules: per agent, task types and keywords with weights; defaults from the seed's roles.
import { randomUUID } from "node:crypto";
import type { Db, Tx } from "@/lib/db/client";
import type { RoutingRule } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/actor";
import { requireAdmin } from "@/lib/auth/policy";
import { recordEvent } from "@/lib/audit/record";
import { Conflict, Invalid, NotFound } from "@/lib/errors";
import type { RoutingRuleDto, RuleInput } from "./schema";

type Seed = Record<string, { types: Record<string, number>; keywords: Record<string, number> }>;

/** Sensible defaults from what each seed agent is for; admins tune them on the Routing page. */
export const DEFAULT_RULES: Seed = {
  claude: {
    types: { research: 0.95, design: 0.9, review: 0.9 },
    keywords: {
      research: 0.95,
      investigate: 0.9,
      compare: 0.85,
      evaluate: 0.85,
      survey: 0.85,
      design: 0.9,
      architecture: 0.85,
      propose: 0.8,
      review: 0.9,
      audit: 0.85,
      specify: 0.75,
      spec: 0.7,
      protocol: 0.7,
    },
  },
  kimi: {
    types: { implementation: 0.85, deployment: 0.75 },
    keywords: {
      implement: 0.85,
      build: 0.8,
      code: 0.75,
      endpoint: 0.7,
      backend: 0.75,
      feature: 0.75,
      integration: 0.7,
      deploy: 0.8,
      dockerfile: 0.8,
      pipeline: 0.6,
      worker: 0.6,
    },
  },
  "kimi-ide": {
    types: { refactor: 0.9, debugging: 0.85 },
    keywords: {
      refactor: 0.9,
      rename: 0.85,
      restructure: 0.85,
      simplify: 0.85,
      "clean up": 0.8,
      extract: 0.8,
      debug: 0.85,
      diagnose: 0.85,
      bug: 0.8,
      crash: 0.8,
      race: 0.8,
      leak: 0.8,
    },
  },
  copilot: {
    types: { testing: 0.9 },
    keywords: {
      test: 0.9,
      tests: 0.9,
      testing: 0.9,
      coverage: 0.85,
      frontend: 0.85,
      ui: 0.8,
      react: 0.8,
      tailwind: 0.8,
      css: 0.8,
      layout: 0.75,
      style: 0.75,
      component: 0.7,
    },
  },
  ollama: {
    types: { documentation: 0.8 },
    keywords: {
      document: 0.8,
      documentation: 0.85,
      changelog: 0.85,
      readme: 0.85,
      tutorial: 0.8,
      docstrings: 0.85,
      summarize: 0.85,
      guide: 0.75,
    },
  },
};

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

export async function updateRule(
  db: Db,
  actor: Actor,
  id: string,
  input: { weight?: number; pattern?: string },
): Promise<RoutingRuleDto> {
  requireAdmin(actor, "edit routing rules");
  return db.$transaction(async (tx) => {
    const before = await tx.routingRule.findUnique({ where: { id } });
    if (!before) throw new NotFound(`No routing rule ${id}.`);
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
    const rule = await tx.routingRule.findUnique({ where: { id } });
    if (!rule) throw new NotFound(`No routing rule ${id}.`);
    await tx.routingRule.delete({ where: { id } });
    await recordEvent(tx, {
      actor,
      action: "routing.rule_deleted",
      subject: `agent:${rule.agent}`,
      details: { kind: rule.kind, pattern: rule.pattern },
    });
  });
}
