// The auto-scheduling engine: on a final completion, matching enabled rules create follow-ups in the same
// transaction; chain depth stops loops; a follow-up gets at least its parent's priority.
import type { Tx } from "@/lib/db/client";
import type { Task } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/actor";
import { recordEvent } from "@/lib/audit/record";
import { insertTask } from "@/lib/queue/create-task";
import { createTaskInput, PRIORITIES, priorityRank, type Priority, type TaskDto } from "@/lib/queue/schema";
import { listScheduleRules } from "./rules";
import { getFederationState } from "./state";
import type { PlannedFollowUp, ScheduleRuleDto } from "./schema";
import { renderTemplate } from "./template";

export interface CompletedSource {
  id: string;
  title: string;
  type: string;
  agent: string;
  success: boolean;
  /** a review's verdict, when the completion carried one */
  verdict: string | null;
  priority: Priority;
  chainDepth: number;
  /** the agent that finished the source's parent, for `{{parent.agent}}` */
  parentAgent: string | null;
  /**
   * The title of the chain's first task, which `{{title}}` renders, so prefixes never pile up ("Rework after review:
   * Review: Implement: …" reads "Rework after review: …"). Defaults to `title`.
   */
  baseTitle?: string;
}

/** A follow-up's description: where it came from, and what the task before it reported (summary and output). */
export function followUpDescription(
  task: Pick<Task, "id" | "title" | "type" | "state" | "claimedBy" | "outcome">,
): string {
  const outcome = (task.outcome ?? {}) as { summary?: unknown; output?: unknown };
  const lines = [
    `Follow-up of ${task.id} “${task.title}” (${task.type}, ${task.state === "completed" ? "completed" : "failed"}${task.claimedBy ? ` by ${task.claimedBy}` : ""}).`,
  ];
  if (typeof outcome.summary === "string" && outcome.summary) lines.push("", `Summary: ${outcome.summary}`);
  if (outcome.output !== undefined && outcome.output !== null) {
    const text = typeof outcome.output === "string" ? outcome.output : JSON.stringify(outcome.output, null, 2);
    const room = 9_500 - lines.join("\n").length;
    lines.push(
      "",
      "Output:",
      text.length > room ? `${text.slice(0, room)}\n… (cut; the whole output is on ${task.id})` : text,
    );
  }
  return lines.join("\n");
}

export function ruleMatches(rule: ScheduleRuleDto, source: CompletedSource): boolean {
  return (
    rule.enabled &&
    rule.when.type === source.type &&
    (!rule.when.agent || rule.when.agent === source.agent) &&
    rule.when.success === source.success &&
    (!rule.when.verdict || rule.when.verdict === source.verdict)
  );
}

/** What the rules would create for this completion (pure: used by the engine and the preview). */
export function planFollowUps(rules: ScheduleRuleDto[], source: CompletedSource): PlannedFollowUp[] {
  const planned: PlannedFollowUp[] = [];
  for (const rule of rules.filter((r) => ruleMatches(r, source))) {
    for (const spec of rule.then) {
      const chainDepth = source.chainDepth + 1;
      const wanted = spec.priority === "inherit" ? source.priority : spec.priority;
      const assignee =
        spec.assignee === "{{agent}}"
          ? source.agent
          : spec.assignee === "{{parent.agent}}"
            ? source.parentAgent
            : (spec.assignee ?? null);
      planned.push({
        ruleId: rule.id,
        ruleName: rule.name,
        title: renderTemplate(spec.titleTemplate, {
          title: source.baseTitle ?? source.title,
          type: source.type,
          agent: source.agent,
          id: source.id,
        }),
        type: spec.type,
        assignee,
        priority: PRIORITIES[Math.max(priorityRank(wanted), priorityRank(source.priority))]!,
        chainDepth,
        dependsOnSource: spec.dependsOnSource && source.success,
        maxChainDepth: rule.maxChainDepth,
        stoppedByDepth: chainDepth > rule.maxChainDepth,
      });
    }
  }
  return planned;
}

/** The chain's first title: a follow-up remembers it in its metadata. */
function baseTitleOf(task: Pick<Task, "title" | "metadata">): string {
  const stored = (task.metadata as { baseTitle?: unknown } | null)?.baseTitle;
  return typeof stored === "string" && stored ? stored : task.title;
}

/** Runs inside the completion's transaction. */
export async function runAutoSchedule(tx: Tx, actor: Actor, task: Task): Promise<TaskDto[]> {
  if (task.state !== "completed" && task.state !== "failed") return [];
  if (!(await getFederationState(tx)).autoScheduling) return [];
  const rules = (await listScheduleRules(tx)).filter((r) => r.enabled && r.when.type === task.type);
  if (!rules.length) return [];
  const parent = task.parentId
    ? await tx.task.findUnique({ where: { id: task.parentId }, select: { claimedBy: true } })
    : null;
  const source: CompletedSource = {
    id: task.id,
    title: task.title,
    type: task.type,
    agent: task.claimedBy ?? "",
    success: task.state === "completed",
    verdict: ((task.outcome as { verdict?: string } | null)?.verdict as string | undefined) ?? null,
    priority: task.priority,
    chainDepth: task.chainDepth,
    parentAgent: parent?.claimedBy ?? null,
    baseTitle: baseTitleOf(task),
  };
  const description = followUpDescription(task);
  const created: TaskDto[] = [];
  const plans = planFollowUps(rules, source);
  for (const [index, plan] of plans.entries()) {
    if (plan.stoppedByDepth) {
      await recordEvent(tx, {
        actor: `rule:${plan.ruleId}`,
        action: "schedule.chain_stopped",
        subject: `task:${task.id}`,
        details: {
          ruleId: plan.ruleId,
          rule: plan.ruleName,
          chainDepth: plan.chainDepth,
          maxChainDepth: plan.maxChainDepth,
          wouldCreate: plan.title,
        },
      });
      continue;
    }
    const spawnKey = `${task.id}:${plan.ruleId}:${index}`;
    if (await tx.task.findUnique({ where: { spawnKey }, select: { id: true } })) continue;
    const input = createTaskInput.parse({
      title: plan.title,
      description,
      metadata: { baseTitle: source.baseTitle },
      type: plan.type,
      priority: plan.priority,
      assignee: plan.assignee,
      dependsOn: plan.dependsOnSource ? [task.id] : [],
    });
    created.push(
      await insertTask(tx, `rule:${plan.ruleId}`, input, {
        source: "auto",
        parentId: task.id,
        ruleId: plan.ruleId,
        chainDepth: plan.chainDepth,
        spawnKey,
      }),
    );
  }
  if (created.length) {
    await recordEvent(tx, {
      actor,
      action: "schedule.follow_ups_created",
      subject: `task:${task.id}`,
      details: { followUps: created.map((t) => t.id) },
    });
  }
  return created;
}
