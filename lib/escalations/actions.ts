// Which decisions apply to an escalation, given the state of its subject: the inbox offers only these, and a
// decision outside them is refused with the list of what would work.
import type { TaskState } from "@/lib/queue/schema";
import type { EscalationDto } from "./schema";

export const DECISION_ACTIONS = ["decide", "assign", "retry", "cancel", "dismiss"] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

const FOR_TASK: Record<TaskState, DecisionAction[]> = {
  pending: ["assign", "cancel", "dismiss"],
  in_progress: ["cancel", "dismiss"],
  failed: ["assign", "retry", "dismiss"],
  cancelled: ["retry", "dismiss"],
  completed: ["dismiss"],
};

/** The decisions that work on an escalation whose subject (a task, or a vote) is in `subjectState`. */
export function actionsFor(kind: EscalationDto["kind"], subjectState: string): DecisionAction[] {
  if (kind === "vote") return subjectState === "escalated" ? ["decide", "dismiss"] : ["dismiss"];
  return FOR_TASK[subjectState as TaskState] ?? ["dismiss"];
}

const VERB: Record<DecisionAction, string> = {
  decide: "decided",
  assign: "assigned to an agent",
  retry: "retried",
  cancel: "cancelled",
  dismiss: "dismissed",
};

/** "can be retried, assigned to an agent or dismissed" */
export function describeActions(actions: DecisionAction[]): string {
  const words = actions.map((a) => VERB[a]);
  return words.length > 1 ? `${words.slice(0, -1).join(", ")} or ${words.at(-1)}` : (words[0] ?? "left alone");
}
