// Completing: the holder reports the result; an outcome is recorded and the same call repeated answers the same.
import { isDeepStrictEqual } from "node:util";
import { poolOf, statement, type Db, type Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/actor";
import type { AuditAction } from "@/lib/audit/actions";
import { recordEvent } from "@/lib/audit/record";
import { openEscalation } from "@/lib/escalations/service";
import { Conflict } from "@/lib/errors";
import { recordOutcome, routedAgentOf } from "@/lib/outcomes/record";
import { addTaskSample, ownWordsSql } from "@/lib/routing/model";
import { runAutoSchedule } from "@/lib/scheduling/engine";
import { lockTask, rowToTaskDto, taskDto, taskRowColumns, withDependencies, type TaskRow } from "./dto";
import { refuseOtherHolder, requireHolder } from "./lease";
import { claimNextAfter } from "./claim-task";
import { claimInput, type ClaimedTaskDto, type CompleteInput, type TaskDto } from "./schema";

export interface Completion {
  task: TaskDto;
  followUps: TaskDto[];
  /** With claimNext: the caller's next task (with its lease token), or null. */
  next?: ClaimedTaskDto | null;
}

/** The completion a repeat is compared with: the same agent, the same claim (lease token) and the same body. */
interface LastCompletion {
  agent: string;
  leaseToken: string | null;
  body: CompleteInput;
  /** The task claimNext claimed with it, so a repeat of the call answers the same `next`. */
  next?: { id: string; leaseToken: string };
}

const withoutToken = ({ leaseToken: _, ...body }: CompleteInput): CompleteInput => body;

async function followUpsOf(tx: Tx, id: string): Promise<TaskDto[]> {
  return withDependencies(tx, await tx.task.findMany({ where: { parentId: id }, orderBy: { createdAt: "asc" } }));
}

/** Minutes the task has been held (to 0.01), as the database sees it now: both paths read the same clock. */
const minutesHeldSql = (t: string) => `round((extract(epoch FROM now() - ${t}.claimed_at) / 60)::numeric, 2)::float8`;

/**
 * What a completion records, built once for both paths: the task's outcome, the audit event's details and the
 * attempts it adds — less what only the row knows (the minutes held, when the agent gave none; the attempts count),
 * which each path adds with `withTail`.
 */
function completionFacts(agent: string, body: CompleteInput) {
  return {
    outcome: {
      agent,
      success: body.success,
      rework: body.rework ?? false,
      ...(body.verdict ? { verdict: body.verdict } : {}),
      ...(body.summary !== undefined ? { summary: body.summary } : {}),
      ...(body.output !== undefined ? { output: body.output } : {}),
    },
    details: {
      agent,
      success: body.success,
      ...(body.verdict ? { verdict: body.verdict } : {}),
      ...(body.summary ? { summary: body.summary.slice(0, 500) } : {}),
    },
    /** A failure uses up an attempt (a retry too); a success does not. */
    attemptsAdded: body.success ? 0 : 1,
  };
}

/** The audit details with the duration (when known) and the attempts, as the fast path's statement adds them. */
const withTail = (details: Record<string, unknown>, durationMinutes: number | null, attempts: number) => ({
  ...details,
  ...(durationMinutes !== null ? { durationMinutes } : {}),
  attempts,
});

/**
 * The common case in one statement: the holder succeeds and no completion hook wants the transaction. Returns
 * null when the general path must decide (every failure goes there: a final one may open an escalation). Exported
 * for the test that holds both paths to the same records.
 */
export async function completeFast(
  db: Db,
  actor: Actor,
  id: string,
  body: CompleteInput,
  token: string | undefined,
): Promise<Completion | null> {
  if (actor.kind !== "agent" || !token || !body.success) return null;
  const agent = actor.agent;
  const facts = completionFacts(agent, body);
  const { rows } = await poolOf(db).query<TaskRow>(
    statement(
      db,
      "fed_complete_v2",
      `
    WITH upd AS (
      UPDATE tasks SET
        state = $1::"TaskState",
        attempts = tasks.attempts + $2::int,
        lease_expires_at = NULL, lease_token = NULL, completed_at = now(), updated_at = now(),
        outcome = $3::jsonb || jsonb_build_object('durationMinutes', coalesce($4::float8, ${minutesHeldSql("tasks")})),
        last_completion = jsonb_build_object('agent', $5::text, 'leaseToken', $13::text, 'body', $6::jsonb)
      WHERE id = $7 AND state = 'in_progress' AND claimed_by = $5 AND lease_token = $13 AND lease_expires_at > now()
        -- a rule that may fire needs the general path, which runs auto-scheduling in this transaction
        AND NOT EXISTS (
          SELECT 1 FROM federation_state f JOIN schedule_rules r ON r.enabled AND r.when_type = tasks.type
          WHERE f.id = 1 AND f.auto_scheduling)
      RETURNING tasks.*
    ), outcome_row AS (
      INSERT INTO outcomes (agent, task_type, success, duration_minutes, rework, task_id, description, routed_agent)
      SELECT $5, u.type, $8, (u.outcome->>'durationMinutes')::float8, $9, u.id, u.title, u.routing->>'agent' FROM upd u
    ), sample AS (
      INSERT INTO routing_samples (text, type, agent, success, source, task_id)
      SELECT ${ownWordsSql("u", "p")}, u.type, $5, $8, 'task', u.id FROM upd u LEFT JOIN tasks p ON p.id = u.parent_id
    ), logged AS (
      INSERT INTO audit_events (actor, action, subject, details)
      SELECT $10, $11, 'task:' || u.id,
        $12::jsonb || jsonb_strip_nulls(jsonb_build_object('durationMinutes', u.outcome->'durationMinutes', 'attempts', u.attempts))
      FROM upd u
    )
    SELECT ${taskRowColumns("u")} FROM upd u`,
      [
        "completed",
        facts.attemptsAdded,
        JSON.stringify(facts.outcome),
        body.durationMinutes ?? null,
        agent,
        JSON.stringify(body),
        id,
        body.success,
        body.rework ?? false,
        actor.label,
        "task.completed" satisfies AuditAction,
        JSON.stringify(facts.details),
        token,
      ],
    ),
  );
  return rows[0] ? { task: rowToTaskDto(rows[0]), followUps: [] } : null;
}

/**
 * The holder reports how its claim ended. Repeating the same call (same claim, same body) answers the same;
 * the same body on a later claim is a new attempt, because each claim has its own lease token.
 */
async function finishTask(
  db: Db,
  actor: Actor,
  id: string,
  raw: CompleteInput,
  token: string | undefined,
): Promise<Completion & { repeated?: boolean }> {
  const body = withoutToken(raw);
  const fast = await completeFast(db, actor, id, body, token);
  if (fast) return fast;
  return db.$transaction(async (tx) => {
    const task = await lockTask(tx, id);
    const last = task.lastCompletion as LastCompletion | null;
    const repeat =
      actor.kind === "agent" &&
      !!token &&
      last?.agent === actor.agent &&
      last.leaseToken === token &&
      isDeepStrictEqual(last.body, body);
    if (repeat)
      return {
        task: await taskDto(tx, task),
        followUps: await followUpsOf(tx, id),
        // undefined when the first try recorded no claim: it claimed nothing, or had not recorded it yet.
        next: last.next ? await stillHeld(tx, last.next) : undefined,
        repeated: true,
      };
    await refuseOtherHolder(tx, actor, task, "complete");
    if (actor.kind === "agent" && ["completed", "failed", "cancelled"].includes(task.state))
      throw new Conflict(`Task ${id} is already ${task.state}; a different completion cannot change it.`);
    const agent = requireHolder(actor, task, "complete", token);

    const retrying = !body.success && body.retry === true && task.attempts + 1 < task.maxAttempts;
    const exhausted = !body.success && body.retry === true && !retrying;
    const facts = completionFacts(agent, body);
    const durationMinutes = body.durationMinutes ?? (await minutesHeld(tx, id));
    const outcome = { ...facts.outcome, durationMinutes } as Prisma.InputJsonObject;
    const lastCompletion = { agent, leaseToken: token ?? null, body } as unknown as Prisma.InputJsonObject;
    const now = new Date();

    const updated = await tx.task.update({
      where: { id },
      data: retrying
        ? {
            state: "pending",
            attempts: { increment: facts.attemptsAdded },
            claimedBy: null,
            claimedAt: null,
            leaseExpiresAt: null,
            leaseToken: null,
            outcome,
            lastCompletion,
          }
        : {
            state: body.success ? "completed" : "failed",
            leaseExpiresAt: null,
            leaseToken: null,
            completedAt: now,
            outcome,
            lastCompletion,
            attempts: { increment: facts.attemptsAdded },
          },
    });
    await recordOutcome(tx, {
      agent,
      taskType: task.type,
      success: body.success,
      durationMinutes,
      rework: body.rework ?? false,
      taskId: id,
      description: task.title,
      routedAgent: routedAgentOf(task.routing),
      endsTask: !retrying,
    });
    await addTaskSample(tx, id, agent, body.success);
    const action = body.success ? "task.completed" : retrying ? "task.retry_scheduled" : "task.failed";
    await recordEvent(tx, {
      actor,
      action,
      subject: `task:${id}`,
      details: withTail(facts.details, durationMinutes, updated.attempts),
    });
    const followUps = await runAutoSchedule(tx, actor, updated);
    // A task that ends failed reaches a person, unless a rule took it on (a follow-up on failure).
    if (updated.state === "failed" && followUps.length === 0) {
      const said = body.summary?.trim() ? ` reported: ${body.summary.trim().slice(0, 300)}` : " gave no reason";
      await openEscalation(tx, actor, {
        kind: "task",
        subjectId: id,
        reason: exhausted
          ? `Failed after ${updated.attempts} of ${updated.maxAttempts} attempts; ${agent} asked for a retry but none are left.`
          : `Failed: ${agent}${said}; no rule takes it on.`,
      });
    }
    return { task: await taskDto(tx, updated), followUps };
  });
}

/** The minutes a task has been held, by the database's clock (null when it was never claimed). */
async function minutesHeld(tx: Tx, id: string): Promise<number | null> {
  const [row] = await tx.$queryRawUnsafe<{ minutes: number | null }[]>(
    `SELECT ${minutesHeldSql("t")} AS minutes FROM tasks t WHERE t.id = $1`,
    id,
  );
  return row?.minutes ?? null;
}

/** The task a completion's claimNext took, if its claim is still the one recorded. */
async function stillHeld(db: Tx, next: LastCompletion["next"]): Promise<ClaimedTaskDto | null> {
  if (!next) return null;
  const row = await db.task.findFirst({ where: { id: next.id, state: "in_progress", leaseToken: next.leaseToken } });
  return row ? { ...(await taskDto(db, row)), leaseToken: next.leaseToken } : null;
}

/**
 * Completing, and with `claimNext` claiming the caller's next task in the same call (`next`, with its own lease
 * token; null when nothing is claimable). The claim taken is recorded with the completion, so a repeat of the
 * call answers the same `next` instead of claiming another. The claim's token derives from the completing one: a
 * repeat that arrives before the first try recorded its claim (or after that try died between claiming and
 * recording) claims under the same token, and finds the task the first try took.
 */
export async function completeTask(
  db: Db,
  actor: Actor,
  id: string,
  raw: CompleteInput,
  token: string | undefined,
): Promise<Completion & { next: ClaimedTaskDto | null }> {
  const { repeated, ...done } = await finishTask(db, actor, id, raw, token);
  if (!raw.claimNext || (repeated && done.next !== undefined)) return { ...done, next: done.next ?? null };
  const input = claimInput.parse({ types: raw.types, leaseSeconds: raw.leaseSeconds });
  // Never without a token: only the agent holding the task completes it, presenting its lease token.
  if (!token) return { ...done, next: null };
  const next = await claimNextAfter(db, actor, input, { completedId: id, completingToken: token, repeat: !!repeated });
  return { ...done, next };
}
