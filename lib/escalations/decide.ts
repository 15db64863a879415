// The orchestrator's decisions on escalations: retry, cancel or reassign a task; assign a routing escalation.
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { requireAdmin } from "@/lib/auth/policy";
import { Conflict, Invalid } from "@/lib/errors";
import { cancelTask, reassignTask, retryTask } from "@/lib/queue/admin-actions";
import type { DecideInput, EscalationDto } from "./schema";
import { getEscalation } from "./service";

export async function decideEscalation(db: Db, actor: Actor, id: string, input: DecideInput): Promise<EscalationDto> {
  requireAdmin(actor, "decide escalations");
  const escalation = await getEscalation(db, id);
  if (escalation.state !== "open") throw new Conflict(`Escalation ${id} is already resolved.`);
  if (escalation.kind === "vote") throw new Conflict("Vote escalations are decided in the voting booth, which is not part of this version yet.");
  if (input.assignee) await reassignTask(db, actor, escalation.subjectId, input.assignee, input.note);
  else if (escalation.kind === "task" && input.action === "retry") await retryTask(db, actor, escalation.subjectId);
  else if (escalation.kind === "task" && input.action === "cancel") await cancelTask(db, actor, escalation.subjectId, input.note);
  else {
    const need = escalation.kind === "routing" ? "an `assignee`" : "an `assignee`, or `action` retry or cancel";
    throw new Invalid(`Deciding a ${escalation.kind} escalation needs ${need}.`, [{ path: escalation.kind === "routing" ? "assignee" : "action", message: `Required: ${need}.` }]);
  }
  return getEscalation(db, id);
}
