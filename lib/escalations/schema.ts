// Shapes of the escalations inbox.
import { z } from "zod";
import { agentName } from "@/lib/agents/schema";
import { listQuery } from "@/lib/http/list";
import { isoTime } from "@/lib/http/time";

export const ESCALATION_KINDS = ["vote", "task", "routing"] as const;
export const escalationKind = z.enum(ESCALATION_KINDS);

export const listEscalationsQuery = listQuery.extend({
  state: z.enum(["open", "resolved"]).optional(),
  kind: escalationKind.optional(),
  /** `context`: each escalation with what is needed to decide it (lib/escalations/context.ts). */
  expand: z.enum(["context"]).optional(),
});
export type ListEscalationsQuery = z.infer<typeof listEscalationsQuery>;

/** `dismiss` closes the escalation and leaves its subject as it is (the inbox's "ignore"). */
export const decideInput = z.strictObject({
  option: z.string().min(1).max(200).optional(),
  assignee: agentName.optional(),
  action: z.enum(["retry", "cancel", "dismiss"]).optional(),
  note: z.string().trim().max(2000).optional(),
});
export type DecideInput = z.infer<typeof decideInput>;

export const escalationDto = z
  .object({
    id: z.string(),
    kind: escalationKind,
    subjectId: z.string(),
    reason: z.string(),
    state: z.enum(["open", "resolved"]),
    resolution: z.record(z.string(), z.unknown()).nullable(),
    resolvedBy: z.string().nullable(),
    createdAt: isoTime,
    resolvedAt: isoTime.nullable(),
    subjectTitle: z.string().optional().describe("The task's title or the vote's question (in lists)."),
  })
  .meta({ id: "Escalation" });
export type EscalationDto = z.infer<typeof escalationDto>;

export const escalationSummaryDto = z
  .object({
    open: z.number().int(),
    byKind: z.object({ vote: z.number().int(), task: z.number().int(), routing: z.number().int() }),
  })
  .meta({ id: "EscalationSummary" });
