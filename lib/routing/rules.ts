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

/**
 * Sensible defaults from what each seed agent is for, in the words engineers use for that work (matched by stem,
 * so "test" covers tests and testing; several matches add up). Grown from judgment and from which words the
 * training outcomes tie to each agent's successes — never from the dev set's labels. Admins tune them on the
 * Routing page.
 */
export const DEFAULT_RULES: Seed = {
  claude: {
    types: { research: 0.95, design: 0.9, review: 0.9 },
    keywords: {
      // research
      research: 0.95,
      investigate: 0.5,
      compare: 0.8,
      comparison: 0.8,
      evaluate: 0.8,
      assess: 0.7,
      survey: 0.85,
      "prior art": 0.9,
      "prior work": 0.85,
      literature: 0.9,
      "state of the art": 0.85,
      explore: 0.6,
      "look into": 0.7,
      "read up": 0.8,
      "dig into": 0.6,
      "find out": 0.5,
      options: 0.5,
      "pros and cons": 0.85,
      recommend: 0.6,
      "write up": 0.6,
      findings: 0.7,
      // design
      design: 0.85,
      architecture: 0.85,
      architect: 0.85,
      rfc: 0.9,
      propose: 0.8,
      proposal: 0.7,
      "trade-off": 0.8,
      tradeoffs: 0.8,
      sketch: 0.7,
      whiteboard: 0.8,
      "data model": 0.85,
      schema: 0.6,
      "module boundaries": 0.85,
      "high-level": 0.75,
      strategy: 0.6,
      // review
      review: 0.85,
      critique: 0.85,
      audit: 0.8,
      "security review": 0.9,
      "pull request": 0.8,
      "threat model": 0.85,
      feedback: 0.7,
      "look over": 0.7,
      "go over": 0.6,
      "sanity-check": 0.7,
      "second pair of eyes": 0.85,
      // reference documentation and specifications
      specify: 0.8,
      specification: 0.8,
      protocol: 0.75,
      "wire format": 0.85,
      "message format": 0.8,
      openapi: 0.85,
      "api reference": 0.85,
      "api contract": 0.8,
      "reference docs": 0.8,
      "error codes": 0.8,
      "error responses": 0.75,
    },
  },
  kimi: {
    types: { implementation: 0.85, deployment: 0.85 },
    keywords: {
      implement: 0.75,
      build: 0.6,
      code: 0.5,
      endpoint: 0.65,
      "api route": 0.8,
      backend: 0.8,
      "server-side": 0.8,
      handler: 0.6,
      service: 0.4,
      feature: 0.6,
      integration: 0.75,
      integrate: 0.75,
      "hook up": 0.7,
      webhook: 0.5,
      pagination: 0.8,
      retry: 0.7,
      retries: 0.7,
      backoff: 0.75,
      caching: 0.7,
      cache: 0.7,
      worker: 0.6,
      "background job": 0.8,
      consumer: 0.7,
      resolver: 0.7,
      idempotency: 0.7,
      export: 0.4,
      // deployment
      deploy: 0.85,
      deployment: 0.85,
      release: 0.5,
      rollout: 0.8,
      "roll back": 0.85,
      revert: 0.6,
      rollback: 0.85,
      staging: 0.75,
      production: 0.5,
      dockerfile: 0.85,
      docker: 0.75,
      containerise: 0.85,
      containerize: 0.85,
      kubernetes: 0.85,
      helm: 0.85,
      terraform: 0.85,
      ci: 0.8,
      "github actions": 0.85,
      pipeline: 0.5,
      monitoring: 0.75,
      alerts: 0.7,
      prometheus: 0.8,
      nginx: 0.75,
      "reverse proxy": 0.8,
      ship: 0.6,
      automate: 0.6,
      infrastructure: 0.8,
    },
  },
  "kimi-ide": {
    types: { refactor: 0.9, debugging: 0.9 },
    keywords: {
      refactor: 0.9,
      rename: 0.8,
      restructure: 0.85,
      simplify: 0.8,
      "clean up": 0.8,
      "tidy up": 0.8,
      extract: 0.75,
      "pull out": 0.6,
      "dead code": 0.9,
      unused: 0.8,
      duplication: 0.8,
      "tech debt": 0.85,
      "technical debt": 0.85,
      untangle: 0.85,
      decouple: 0.8,
      split: 0.55,
      "break up": 0.6,
      modularise: 0.8,
      modularize: 0.8,
      migrate: 0.5,
      "async/await": 0.6,
      "circular imports": 0.85,
      messy: 0.7,
      // debugging
      debug: 0.9,
      diagnose: 0.85,
      bug: 0.75,
      fix: 0.4,
      crash: 0.85,
      "race condition": 0.9,
      race: 0.75,
      leak: 0.85,
      "memory leak": 0.9,
      oom: 0.85,
      flaky: 0.85,
      "fail randomly": 0.8,
      intermittent: 0.8,
      regression: 0.55,
      "stack trace": 0.85,
      segfault: 0.9,
      deadlock: 0.85,
      hang: 0.75,
      "root cause": 0.85,
      "root-cause": 0.85,
      "track down": 0.8,
      "chase down": 0.8,
      "figure out why": 0.8,
      "find the cause": 0.8,
      "what went wrong": 0.75,
      timeout: 0.6,
      broke: 0.6,
      broken: 0.6,
      "null pointer": 0.85,
      exception: 0.7,
    },
  },
  copilot: {
    types: { testing: 0.9 },
    keywords: {
      test: 0.85,
      "unit test": 0.9,
      "end-to-end": 0.8,
      playwright: 0.85,
      spec: 0.4,
      coverage: 0.85,
      snapshot: 0.8,
      fixture: 0.8,
      mock: 0.75,
      fuzz: 0.8,
      "property test": 0.85,
      "property-based": 0.85,
      // frontend
      frontend: 0.85,
      ui: 0.8,
      react: 0.8,
      component: 0.7,
      tailwind: 0.85,
      css: 0.85,
      layout: 0.8,
      style: 0.75,
      responsive: 0.85,
      phones: 0.75,
      mobile: 0.7,
      "small screens": 0.8,
      animation: 0.8,
      animate: 0.8,
      modal: 0.75,
      dropdown: 0.8,
      navbar: 0.75,
      sidebar: 0.6,
      button: 0.7,
      "dark mode": 0.8,
      "dark theme": 0.8,
      theme: 0.6,
      form: 0.6,
      screen: 0.5,
      page: 0.45,
      browser: 0.5,
      figma: 0.8,
      mockup: 0.75,
      skeleton: 0.7,
      accessibility: 0.75,
      "keyboard shortcuts": 0.6,
    },
  },
  ollama: {
    types: { documentation: 0.8 },
    keywords: {
      document: 0.6,
      documentation: 0.7,
      docs: 0.7,
      changelog: 0.85,
      "release notes": 0.9,
      readme: 0.85,
      tutorial: 0.85,
      "getting started": 0.85,
      walkthrough: 0.85,
      "how-to": 0.85,
      "user guide": 0.85,
      guide: 0.7,
      docstrings: 0.85,
      jsdoc: 0.85,
      comments: 0.65,
      faq: 0.85,
      summarize: 0.8,
      summarise: 0.8,
      explain: 0.6,
      "setup steps": 0.75,
      newsletter: 0.8,
      typo: 0.8,
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
