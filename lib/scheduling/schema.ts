// Shapes of auto-scheduling rules and the federation switch: the single source for API, forms and preview.
import { z } from "zod";
import { agentName } from "@/lib/agents/schema";
import { priority, taskType } from "@/lib/queue/schema";
import { unknownPlaceholders } from "./template";

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
});

export const createRuleInput = z.strictObject({
  name: z.string().trim().min(1, "Name the rule.").max(120),
  enabled: z.boolean().default(true),
  when: ruleWhen,
  then: z.array(followUpSpec).min(1, "Add at least one follow-up.").max(10),
  maxChainDepth: z.number().int().min(1).max(20).default(5),
});
export type CreateRuleInput = z.input<typeof createRuleInput>;

export const updateRuleInput = createRuleInput
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: "Send at least one field to change." });
export type UpdateRuleInput = z.input<typeof updateRuleInput>;

export interface ScheduleRuleDto {
  id: string;
  name: string;
  enabled: boolean;
  when: { type: string; agent: string | null; success: boolean };
  then: FollowUpSpec[];
  maxChainDepth: number;
  createdAt: string;
  updatedAt: string;
}

export const federationStateInput = z.strictObject({ autoScheduling: z.boolean() });

export interface FederationStateDto {
  autoScheduling: boolean;
  updatedBy: string | null;
  updatedAt: string;
}

export const previewInput = z.strictObject({
  type: taskType,
  agent: agentName,
  success: z.boolean().default(true),
  title: z.string().trim().min(1).max(200).default("Sample task"),
  priority: priority.default("normal"),
  chainDepth: z.number().int().min(0).max(50).default(0),
});
export type PreviewInput = z.input<typeof previewInput>;

export interface PlannedFollowUp {
  ruleId: string;
  ruleName: string;
  title: string;
  type: string;
  assignee: string | null;
  priority: string;
  chainDepth: number;
  dependsOnSource: boolean;
  stoppedByDepth: boolean;
}
