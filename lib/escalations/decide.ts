// The orchestrator's decisions on escalations: retry, cancel or reassign a task; assign a routing escalation;
// choose a vote's option.
// The decision locks its subject and then the escalation, and acts in the same transaction, so concurrent
// decisions on one escalation apply once and the others get 409.
import type { Db, Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { requireAdmin } from "@/lib/auth/policy";
import { Conflict, Invalid, NotFound } from "@/lib/errors";
import { cancelTaskIn, reassignTaskIn, retryTaskIn } from "@/lib/queue/admin-actions";
import { lockTask } from "@/lib/queue/dto";
import { decideVoteIn, lockVote } from "@/lib/voting/service";
import { actionsFor, describeActions, type DecisionAction } from "./actions";
import type { DecideInput, EscalationDto } from "./schema";
import { getEscalation, resolveEscalationsFor, toEscalationDto } from "./service";

async function lockOpenEscalation(tx: Tx, id: string): Promise<EscalationDto> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM escalations WHERE id = ${id} FOR UPDATE`;
  if (!locked.length) throw new NotFound(`No escalation ${id}.`);
  const escalation = toEscalationDto(await tx.escalation.findUniqueOrThrow({ where: { id } }));
  if (escalation.state !== "open")
    throw new Conflict(`Escalation ${id} was already decided by ${escalation.resolvedBy ?? "someone"}.`);
  return escalation;
}

/** Closes the escalation and leaves its subject alone. */
async function dismissIn(tx: Tx, actor: Actor, escalation: EscalationDto, note?: string): Promise<void> {
  await resolveEscalationsFor(tx, actor, escalation.subjectId, { action: "dismiss", ...(note ? { note } : {}) });
}

async function decideTaskOrRouting(
  tx: Tx,
  actor: Actor,
  escalation: EscalationDto,
  taskState: string,
  input: DecideInput,
): Promise<void> {
  const wanted: DecisionAction | undefined = input.assignee ? "assign" : input.action;
  const applicable = actionsFor(escalation.kind, taskState);
  if (wanted && !applicable.includes(wanted))
    throw new Conflict(
      `Task ${escalation.subjectId} is ${taskState.replace("_", " ")}: it can be ${describeActions(applicable)}, not ${describeActions([wanted])}.`,
    );
  if (input.assignee) await reassignTaskIn(tx, actor, escalation.subjectId, input.assignee, input.note);
  else if (input.action === "retry") await retryTaskIn(tx, actor, escalation.subjectId, input.note);
  else if (input.action === "cancel") await cancelTaskIn(tx, actor, escalation.subjectId, input.note);
  else {
    const need = escalation.kind === "routing" ? "an `assignee`" : "an `assignee`, or `action` retry or cancel";
    throw new Invalid(`Deciding a ${escalation.kind} escalation needs ${need}.`, [
      { path: escalation.kind === "routing" ? "assignee" : "action", message: `Required: ${need}.` },
    ]);
  }
}

export async function decideEscalation(db: Db, actor: Actor, id: string, input: DecideInput): Promise<EscalationDto> {
  requireAdmin(actor, "decide escalations");
  const seen = await getEscalation(db, id);
  await db.$transaction(async (tx) => {
    // Subject first, then the escalation: the order every other writer of both uses.
    if (input.action === "dismiss") {
      await (seen.kind === "vote" ? lockVote(tx, seen.subjectId) : lockTask(tx, seen.subjectId));
      await lockOpenEscalation(tx, id);
      await dismissIn(tx, actor, seen, input.note);
    } else if (seen.kind === "vote") {
      const vote = await lockVote(tx, seen.subjectId);
      await lockOpenEscalation(tx, id);
      await decideVoteIn(tx, actor, vote, input.option, input.note);
    } else {
      const task = await lockTask(tx, seen.subjectId);
      const escalation = await lockOpenEscalation(tx, id);
      await decideTaskOrRouting(tx, actor, escalation, task.state, input);
    }
  });
  return getEscalation(db, id);
}
