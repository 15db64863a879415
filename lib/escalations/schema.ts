// Shapes of the escalations inbox.
import { z } from "zod";
import { agentName } from "@/lib/agents/schema";
import { listQuery } from "@/lib/http/list";

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

export interface EscalationDto {
  id: string;
  kind: (typeof ESCALATION_KINDS)[number];
  subjectId: string;
  reason: string;
  state: "open" | "resolved";
  resolution: Record<string, unknown> | null;
  resolvedBy: string | null;
  createdAt: string;
  resolvedAt: string | null;
}
