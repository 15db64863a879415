// Auto-scheduling rules: validated against the registry and the known task types; defaults from the seed.
import type { Db, Tx } from "@/lib/db/client";
import type { Prisma, ScheduleRule } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/actor";
import { requireAdmin } from "@/lib/auth/policy";
import { recordEvent } from "@/lib/audit/record";
import { Invalid, NotFound, type FieldError } from "@/lib/errors";
import { nextId } from "@/lib/ids";
import { KNOWN_TASK_TYPES, type Verdict } from "@/lib/queue/schema";
import {
  ASSIGNEE_PLACEHOLDERS,
  createRuleInput,
  updateRuleInput,
  type CreateRuleInput,
  type FollowUpSpec,
  type ScheduleRuleDto,
  type UpdateRuleInput,
} from "./schema";

export function toRuleDto(r: ScheduleRule): ScheduleRuleDto {
  return {
    id: r.id,
    name: r.name,
    enabled: r.enabled,
    when: { type: r.whenType, agent: r.whenAgent, success: r.whenSuccess, verdict: (r.whenVerdict as Verdict) ?? null },
    then: r.then as unknown as FollowUpSpec[],
    maxChainDepth: r.maxChainDepth,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** Types a rule may name: the standard ones and any a task has used. */
export async function knownTypes(db: Tx): Promise<Set<string>> {
  const used = await db.task.findMany({ distinct: ["type"], select: { type: true } });
  return new Set([...KNOWN_TASK_TYPES, ...used.map((t) => t.type)]);
}

async function checkReferences(
  db: Tx,
  rule: { when: { type: string; agent?: string | null }; then: FollowUpSpec[] },
): Promise<void> {
  const agents = new Set((await db.agent.findMany({ select: { name: true } })).map((a) => a.name));
  const types = await knownTypes(db);
  const errors: FieldError[] = [];
  if (!types.has(rule.when.type)) errors.push({ path: "when.type", message: `Unknown task type ${rule.when.type}.` });
  if (rule.when.agent && !agents.has(rule.when.agent))
    errors.push({ path: "when.agent", message: `No agent named ${rule.when.agent}.` });
  rule.then.forEach((f, i) => {
    if (!types.has(f.type)) errors.push({ path: `then.${i}.type`, message: `Unknown task type ${f.type}.` });
    const placeholder = (ASSIGNEE_PLACEHOLDERS as readonly string[]).includes(f.assignee ?? "");
    if (f.assignee && !placeholder && !agents.has(f.assignee))
      errors.push({ path: `then.${i}.assignee`, message: `No agent named ${f.assignee}.` });
  });
  if (errors.length) throw new Invalid("The rule names unknown agents or task types.", errors);
}

export async function listScheduleRules(db: Tx): Promise<ScheduleRuleDto[]> {
  return (await db.scheduleRule.findMany({ orderBy: { createdAt: "asc" } })).map(toRuleDto);
}

/** The rule, locked for the rest of the transaction (concurrent edits and deletes: one first, the rest see its result). */
async function lockScheduleRule(tx: Tx, id: string): Promise<ScheduleRuleDto> {
  await tx.$queryRaw`SELECT id FROM schedule_rules WHERE id = ${id} FOR UPDATE`;
  return getScheduleRule(tx, id);
}

export async function getScheduleRule(db: Tx, id: string): Promise<ScheduleRuleDto> {
  const row = await db.scheduleRule.findUnique({ where: { id } });
  if (!row) throw new NotFound(`No rule ${id}.`);
  return toRuleDto(row);
}

export async function createScheduleRule(
  db: Db,
  actor: Actor | string,
  raw: CreateRuleInput,
): Promise<ScheduleRuleDto> {
  if (typeof actor !== "string") requireAdmin(actor, "create auto-scheduling rules");
  const input = createRuleInput.parse(raw);
  return db.$transaction(async (tx) => {
    await checkReferences(tx, input);
    const row = await tx.scheduleRule.create({
      data: {
        id: await nextId(tx, "rule"),
        name: input.name,
        enabled: input.enabled,
        whenType: input.when.type,
        whenAgent: input.when.agent ?? null,
        whenSuccess: input.when.success,
        whenVerdict: input.when.verdict ?? null,
        then: input.then as unknown as Prisma.InputJsonArray,
        maxChainDepth: input.maxChainDepth,
      },
    });
    await recordEvent(tx, {
      actor,
      action: "rule.created",
      subject: `rule:${row.id}`,
      details: {
        name: row.name,
        when: { type: row.whenType, agent: row.whenAgent, success: row.whenSuccess, verdict: row.whenVerdict },
      },
    });
    return toRuleDto(row);
  });
}

export async function updateScheduleRule(
  db: Db,
  actor: Actor,
  id: string,
  raw: UpdateRuleInput,
): Promise<ScheduleRuleDto> {
  requireAdmin(actor, "change auto-scheduling rules");
  const input = updateRuleInput.parse(raw);
  return db.$transaction(async (tx) => {
    const before = await lockScheduleRule(tx, id);
    // A condition's fields left out of the change keep their value: a form that does not show one never drops it.
    const given = Object.fromEntries(Object.entries(input.when ?? {}).filter(([, v]) => v !== undefined));
    const when = { ...before.when, ...given };
    const merged = { when, then: (input.then ?? before.then) as FollowUpSpec[] };
    await checkReferences(tx, merged);
    const row = await tx.scheduleRule.update({
      where: { id },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(input.when
          ? {
              whenType: when.type,
              whenAgent: when.agent ?? null,
              whenSuccess: when.success,
              whenVerdict: when.verdict ?? null,
            }
          : {}),
        ...(input.then ? { then: input.then as unknown as Prisma.InputJsonArray } : {}),
        ...(input.maxChainDepth !== undefined ? { maxChainDepth: input.maxChainDepth } : {}),
      },
    });
    const action =
      input.enabled !== undefined && Object.keys(input).length === 1
        ? input.enabled
          ? "rule.enabled"
          : "rule.disabled"
        : "rule.updated";
    await recordEvent(tx, { actor, action, subject: `rule:${id}`, details: { changed: Object.keys(input) } });
    return toRuleDto(row);
  });
}

export async function deleteScheduleRule(db: Db, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor, "delete auto-scheduling rules");
  await db.$transaction(async (tx) => {
    const rule = await lockScheduleRule(tx, id);
    await tx.scheduleRule.delete({ where: { id } });
    await recordEvent(tx, { actor, action: "rule.deleted", subject: `rule:${id}`, details: { name: rule.name } });
  });
}

/** A review that did not pass sends the work back to whoever implemented it. */
const REWORK: CreateRuleInput["then"] = [
  {
    type: "implementation",
    assignee: "{{parent.agent}}",
    titleTemplate: "Rework after review: {{title}}",
    priority: "inherit",
    dependsOnSource: false,
  },
];

/** The seed's rules; the global switch starts off, as in the seed. */
export const DEFAULT_SCHEDULE_RULES: CreateRuleInput[] = [
  {
    name: "Research → implementation",
    when: { type: "research", agent: "claude", success: true },
    then: [
      {
        type: "implementation",
        assignee: "kimi",
        titleTemplate: "Implement: {{title}}",
        priority: "inherit",
        dependsOnSource: true,
      },
    ],
  },
  {
    name: "Implementation → review",
    when: { type: "implementation", success: true },
    then: [
      {
        type: "review",
        assignee: "claude",
        titleTemplate: "Review: {{title}}",
        priority: "inherit",
        dependsOnSource: true,
      },
    ],
  },
  {
    name: "Changes requested → rework",
    when: { type: "review", success: true, verdict: "changes_requested" },
    then: REWORK,
  },
  { name: "Failed review → rework", when: { type: "review", success: false }, then: REWORK },
];
