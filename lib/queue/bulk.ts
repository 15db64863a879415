// Bulk actions of the queue console: retry, cancel or reassign the tasks picked by id or by filter. A dry run
// answers how many match and how many the action applies to (the confirmation dialog's preview); the real run
// acts on each task exactly as the single-task verb does (its checks, one audit event per task), a few tasks per
// transaction so a long run never holds one open.
import { z } from "zod";
import { poolOf, type Db, type Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { agentName } from "@/lib/agents/schema";
import { requireAdmin } from "@/lib/auth/policy";
import { DomainError, Invalid } from "@/lib/errors";
import { cancelTaskIn, reassignTaskIn, retryTaskIn } from "./admin-actions";
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
  const act = {
    retry: (tx: Tx, id: string) => retryTaskIn(tx, actor, id, input.note),
    cancel: (tx: Tx, id: string) => cancelTaskIn(tx, actor, id, input.note),
    reassign: (tx: Tx, id: string) => reassignTaskIn(tx, actor, id, input.assignee!, input.note),
  }[input.action];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await db.$transaction(async (tx) => {
      for (const { id } of chunk) {
        try {
          await act(tx, id);
          result.done++;
        } catch (e) {
          // The task moved on since it was counted (another person or agent got there first): say so, go on.
          if (!(e instanceof DomainError)) throw e;
          result.skippedCount++;
          if (result.skipped.length < 20) result.skipped.push({ id, reason: e.message });
        }
      }
    });
  }
  return result;
}
