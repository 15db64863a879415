// Shapes of auto-scheduling rules and the federation switch: the single source for API, forms and preview.
import { z } from "zod";
import { agentName } from "@/lib/agents/schema";
import { priority, taskType, VERDICTS } from "@/lib/queue/schema";
import { unknownPlaceholders } from "./template";
import { isoTime } from "@/lib/http/time";

/** Besides an agent's name: the agent that finished the task, or the one that finished its parent. */
export const ASSIGNEE_PLACEHOLDERS = ["{{agent}}", "{{parent.agent}}"] as const;

export const followUpSpec = z.strictObject({
  type: taskType,
  assignee: z
    .union([agentName, z.enum(ASSIGNEE_PLACEHOLDERS)])
    .nullable()
    .optional(),
  titleTemplate: z
    .string()
    .trim()
    .min(1, "Give the follow-up a title template.")
    .max(200)
    .superRefine((t, ctx) => {
      const bad = unknownPlaceholders(t);
      if (bad.length)
        ctx.addIssue({
          code: "custom",
          message: `Unknown placeholder ${bad.map((b) => `{{${b}}}`).join(", ")}; use {{title}}, {{type}}, {{agent}} or {{id}}.`,
        });
    }),
  priority: z.union([z.literal("inherit"), priority]).default("inherit"),
  dependsOnSource: z.boolean().default(true),
});
export type FollowUpSpec = z.infer<typeof followUpSpec>;

export const ruleWhen = z.strictObject({
  type: taskType,
  agent: agentName.nullable().optional(),
  success: z.boolean().default(true),
  /** only completions with this verdict (reviews); absent or null: any */
  verdict: z.enum(VERDICTS).nullable().optional(),
});

export const createRuleInput = z.strictObject({
  name: z.string().trim().min(1, "Name the rule.").max(120),
  enabled: z.boolean().default(true),
  when: ruleWhen,
  then: z.array(followUpSpec).min(1, "Add at least one follow-up.").max(10),
  maxChainDepth: z.number().int().min(1).max(20).default(5),
});
export type CreateRuleInput = z.input<typeof createRuleInput>;

/** A change to a rule's condition: fields left out keep their value (`verdict: null` clears the verdict). */
export const ruleWhenPatch = z.strictObject({
  type: taskType.optional(),
  agent: agentName.nullable().optional(),
  success: z.boolean().optional(),
  verdict: z.enum(VERDICTS).nullable().optional(),
});

export const updateRuleInput = createRuleInput
  .partial()
  .extend({ when: ruleWhenPatch.optional() })
  .refine((v) => Object.keys(v).length > 0, { message: "Send at least one field to change." });
export type UpdateRuleInput = z.input<typeof updateRuleInput>;

export const scheduleRuleDto = z
  .object({
    id: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    when: z.object({
      type: z.string(),
      agent: z.string().nullable(),
      success: z.boolean(),
      verdict: z.enum(VERDICTS).nullable(),
    }),
    then: z.array(followUpSpec),
    maxChainDepth: z.number().int(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: "ScheduleRule" });
export type ScheduleRuleDto = z.infer<typeof scheduleRuleDto>;

export const federationStateInput = z.strictObject({ autoScheduling: z.boolean() });

export const federationStateDto = z
  .object({ autoScheduling: z.boolean(), updatedBy: z.string().nullable(), updatedAt: isoTime })
  .meta({ id: "FederationState" });
export type FederationStateDto = z.infer<typeof federationStateDto>;

export const previewInput = z.strictObject({
  type: taskType,
  agent: agentName,
  success: z.boolean().default(true),
  verdict: z.enum(VERDICTS).nullable().optional(),
  title: z.string().trim().min(1).max(200).default("Sample task"),
  priority: priority.default("normal"),
  chainDepth: z.number().int().min(0).max(50).default(0),
});
export type PreviewInput = z.input<typeof previewInput>;

export const plannedFollowUp = z
  .object({
    ruleId: z.string(),
    ruleName: z.string(),
    title: z.string(),
    type: z.string(),
    assignee: z.string().nullable(),
    priority: z.string(),
    chainDepth: z.number().int(),
    maxChainDepth: z.number().int().describe("The rule's limit: beyond it the follow-up is not created."),
    dependsOnSource: z.boolean(),
    stoppedByDepth: z.boolean(),
  })
  .meta({ id: "PlannedFollowUp" });
export type PlannedFollowUp = z.infer<typeof plannedFollowUp>;

export const previewResult = z
  .object({ autoScheduling: z.boolean(), followUps: z.array(plannedFollowUp) })
  .meta({ id: "RulePreview" });
