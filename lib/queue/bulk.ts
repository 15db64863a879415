// Bulk actions of the queue console: retry, cancel or reassign the tasks picked by id or by filter. A dry run
// answers how many match and how many the action applies to (the confirmation dialog's preview); the real run
// acts on each task exactly as the single-task verb does (its checks, one audit event per task, naming the bulk),
// a few tasks per transaction so a long run never holds one open, and writes one event for the act itself. A run
// that an error stops early still answers what it did (`done`, `skipped`, `failed`, `stoppedAt`, `error`).
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { poolOf, type Db, type Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { agentName } from "@/lib/agents/schema";
import { requireAdmin } from "@/lib/auth/policy";
import { recordEvent } from "@/lib/audit/record";
import { Conflict, DomainError, Invalid } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { isDatabaseUnavailable } from "@/lib/http/unavailable";
import { cancelTaskIn, reassignTaskIn, retryTaskIn } from "./admin-actions";
import { lockTask } from "./dto";
import { filterSql } from "./filter";
import { taskFilter } from "./schema";

import { APPLIES_TO, BULK_ACTIONS, type BulkAction } from "./bulk-states";

export { APPLIES_TO, BULK_ACTIONS, type BulkAction };

/** The most tasks one bulk call acts on; a bigger selection is refused with its size, so nothing half-happens. */
export const MAX_BULK = 5_000;
const CHUNK = 25;

export const bulkInput = z
  .strictObject({
    action: z.enum(BULK_ACTIONS),
    ids: z.array(z.string().min(1).max(64)).min(1).max(MAX_BULK).optional().describe("the tasks picked by hand"),
    filter: taskFilter.strict().optional().describe("or every task this filter matches"),
    assignee: agentName.optional().describe("reassign: the agent that gets the tasks"),
    note: z.string().max(2000).optional(),
    dryRun: z.boolean().default(false).describe("count only: how many match, and how many the action applies to"),
  })
  .superRefine((b, ctx) => {
    if ((b.ids === undefined) === (b.filter === undefined))
      ctx.addIssue({
        code: "custom",
        path: ["ids"],
        message: "Pick the tasks with either ids or filter (one of them).",
      });
    if (b.action === "reassign" && !b.assignee)
      ctx.addIssue({ code: "custom", path: ["assignee"], message: "Reassign needs the agent to give the tasks to." });
  });
export type BulkInput = z.input<typeof bulkInput>;

export const bulkResultDto = z
  .object({
    action: z.enum(BULK_ACTIONS),
    dryRun: z.boolean(),
    matched: z.number().int(),
    applicable: z.number().int(),
    done: z.number().int(),
    skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
    skippedCount: z.number().int(),
    failed: z.number().int().describe("tasks not acted on because the run stopped early (see error)"),
    stoppedAt: z.string().optional().describe("the task the run stopped at, when an error ended it early"),
    error: z.string().optional().describe("why the run stopped early"),
  })
  .meta({ id: "BulkResult" });

export interface BulkResult {
  action: BulkAction;
  dryRun: boolean;
  /** Tasks the selection matched, in any state. */
  matched: number;
  /** Of those, the ones the action applies to (its states). */
  applicable: number;
  /** Tasks the action changed (0 in a dry run). */
  done: number;
  /** Tasks it did not change, with why (at most 20 listed). */
  skipped: { id: string; reason: string }[];
  skippedCount: number;
  /** Tasks not acted on because the run stopped early: an error ended it (`stoppedAt`, `error`). */
  failed: number;
  stoppedAt?: string;
  error?: string;
}

/** An error's own words on one line (Prisma's start with a blank line and the call site). */
function reasonOf(error: unknown): string {
  const driver = (error as { meta?: { driverAdapterError?: { cause?: { originalMessage?: string } } } }).meta
    ?.driverAdapterError?.cause?.originalMessage;
  const text = driver ?? (error as Error).message ?? String(error);
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines.at(-1) ?? "unknown").slice(0, 300);
}

export async function bulkTasks(db: Db, actor: Actor, input: z.infer<typeof bulkInput>): Promise<BulkResult> {
  requireAdmin(actor, `${input.action} tasks in bulk`);
  if (input.action === "reassign" && !(await db.agent.findUnique({ where: { name: input.assignee! } })))
    throw new Invalid(`Unknown agent ${input.assignee}.`, [
      { path: "assignee", message: `No agent named ${input.assignee}.` },
    ]);
  const params: unknown[] = [];
  const selection = input.ids ? `t.id = ANY($${params.push(input.ids)}::text[])` : filterSql(input.filter!, params);
  const states = `$${params.push(APPLIES_TO[input.action])}::"TaskState"[]`;
  const pool = poolOf(db);
  const { rows: counted } = await pool.query<{ matched: string; applicable: string }>(
    `SELECT count(*) AS matched, count(*) FILTER (WHERE t.state = ANY(${states})) AS applicable
     FROM tasks t WHERE ${selection}`,
    params,
  );
  const matched = Number(counted[0]!.matched);
  const applicable = Number(counted[0]!.applicable);
  const result: BulkResult = {
    action: input.action,
    dryRun: input.dryRun,
    matched,
    applicable,
    done: 0,
    skipped: [],
    skippedCount: 0,
    failed: 0,
  };
  if (input.dryRun || applicable === 0) return result;
  if (applicable > MAX_BULK)
    throw new Invalid(`${applicable} tasks match; a bulk action takes at most ${MAX_BULK}. Narrow the filter.`, [
      { path: input.ids ? "ids" : "filter", message: `At most ${MAX_BULK} tasks at a time.` },
    ]);
  const { rows } = await pool.query<{ id: string }>(
    `SELECT t.id FROM tasks t WHERE ${selection} AND t.state = ANY(${states}) ORDER BY t.created_at, t.id`,
    params,
  );
  // Tasks that moved on between the count and this selection (another run got there first) are skipped too.
  result.skippedCount += Math.max(0, applicable - rows.length);
  const bulk = randomUUID();
  const act = {
    retry: (tx: Tx, id: string) => retryTaskIn(tx, actor, id, input.note, bulk),
    cancel: (tx: Tx, id: string) => cancelTaskIn(tx, actor, id, input.note, bulk),
    reassign: (tx: Tx, id: string) => reassignTaskIn(tx, actor, id, input.assignee!, input.note, bulk),
  }[input.action];
  for (let i = 0; i < rows.length && result.stoppedAt === undefined; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    let current = chunk[0]!.id;
    try {
      // Counted only when the chunk commits: a chunk that fails half-way is rolled back whole.
      const outcome = await db.$transaction(async (tx) => {
        let done = 0;
        const skipped: { id: string; reason: string }[] = [];
        for (const { id } of chunk) {
          current = id;
          try {
            // Counted above, but locked only now: another run (or person, or agent) may have got there first. A
            // task no longer in the action's states is skipped — two bulk cancels of the same tasks never both
            // count it.
            const now = await lockTask(tx, id);
            if (!APPLIES_TO[input.action].includes(now.state))
              throw new Conflict(
                `Task ${id} is ${now.state} now; ${input.action} applies to ${APPLIES_TO[input.action].join(" or ")} tasks.`,
              );
            await act(tx, id);
            done++;
          } catch (e) {
            // The task moved on since it was counted: say so, go on.
            if (!(e instanceof DomainError)) throw e;
            skipped.push({ id, reason: e.message });
          }
        }
        return { done, skipped };
      });
      result.done += outcome.done;
      result.skippedCount += outcome.skipped.length;
      result.skipped.push(...outcome.skipped.slice(0, Math.max(0, 20 - result.skipped.length)));
    } catch (error) {
      // Something failed on our side (the database went away, a statement timed out): stop, and say what was done.
      result.stoppedAt = current;
      result.error = isDatabaseUnavailable(error)
        ? "The database became unavailable; retry the action for the tasks that remain."
        : `Stopped by an error on our side (${reasonOf(error)}); retry for the tasks that remain.`;
      result.failed = rows.length - i;
      console.error(`bulk ${input.action} ${bulk} stopped at ${current}:`, error);
    }
  }
  // One event for the act itself, naming its selection (each task's own event names this bulk).
  await recordEvent(db, {
    actor,
    action: "task.bulk",
    subject: `bulk:${bulk}`,
    details: {
      action: input.action,
      selection: input.ids ? { ids: input.ids.length } : { filter: input.filter! },
      ...(input.assignee ? { assignee: input.assignee } : {}),
      ...(input.note ? { note: input.note } : {}),
      matched,
      done: result.done,
      skipped: result.skippedCount,
      failed: result.failed,
      ...(result.stoppedAt ? { stoppedAt: result.stoppedAt, error: result.error } : {}),
    } as Prisma.InputJsonObject,
  }).catch((error) => console.error(`bulk ${bulk}: its audit event could not be written:`, error));
  return result;
}
