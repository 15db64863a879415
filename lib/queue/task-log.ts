// A task's log: what the holder's agent printed while it worked (`fed run` streams its command's output here), per
// attempt, each append announced to live streams as a `task.log` event (a NOTIFY: lib/events/bus.ts), kept bounded:
// an attempt's oldest chunks go once its log passes LOG_LIMIT bytes, so a command that prints gigabytes costs the
// database about a megabyte. Anyone who may see the task may read it.
import { z } from "zod";
import { isEmbedded, poolOf, type Db } from "@/lib/db/client";
import { changes, LOG_CHANNEL } from "@/lib/events/bus";
import type { Actor } from "@/lib/auth/actor";
import { Conflict, NotFound } from "@/lib/errors";
import { findTask } from "./dto";
import { requireHolder, refuseOtherHolder } from "./lease";
import { leaseToken } from "./schema";

/** How much of an attempt's log is kept: the last 1 MiB (give or take a chunk). */
export const LOG_LIMIT = 1024 * 1024;
/** One append: a runner sends what its command printed since the last one. */
export const CHUNK_LIMIT = 48 * 1024;

export const appendLogInput = z.strictObject({
  stream: z.enum(["stdout", "stderr"]).describe("Which of the command's outputs this came from."),
  text: z.string().min(1).max(CHUNK_LIMIT).describe("What it printed since the previous append (at most 48 KiB)."),
  leaseToken: leaseToken.optional(),
});
export type AppendLogInput = z.infer<typeof appendLogInput>;

export const appendLogDto = z.object({
  attempt: z.number().int().describe("The attempt the text was added to (1 = the first)."),
  bytes: z.number().int().describe("How many bytes were added."),
});

export const readLogQuery = z.strictObject({
  attempt: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe("Which attempt (1 = the first); the latest by default."),
});

/**
 * Appends to the log of the holder's current attempt (attempts so far + 1) and trims the attempt's oldest chunks
 * beyond LOG_LIMIT, in one statement. Only the holder, presenting its lease token.
 */
export async function appendLog(
  db: Db,
  actor: Actor,
  id: string,
  input: AppendLogInput,
  token: string | undefined,
): Promise<{ attempt: number; bytes: number }> {
  const task = await findTask(db, id);
  await refuseOtherHolder(db, actor, task, "log to");
  requireHolder(actor, task, "log to", token);
  const attempt = task.attempts + 1;
  const embedded = isEmbedded(db);
  const bytes = Buffer.byteLength(input.text, "utf8");
  const { rows } = await poolOf(db).query<{ added: number }>(
    `WITH added AS (
       INSERT INTO task_log_chunks (task_id, attempt, stream, text, bytes)
       SELECT id, $2, $3, $4, $5 FROM tasks WHERE id = $1 AND lease_token = $6 AND state = 'in_progress'
       RETURNING id
     ), sized AS (
       SELECT c.id, sum(c.bytes) OVER (ORDER BY c.id DESC) AS kept
       FROM task_log_chunks c WHERE c.task_id = $1 AND c.attempt = $2
     ), trimmed AS (
       DELETE FROM task_log_chunks c USING sized s
       WHERE c.id = s.id AND s.kept + $5 > $7 AND EXISTS (SELECT 1 FROM added)
     )
     SELECT count(*)::int AS added, (SELECT pg_notify($8, $1) FROM added WHERE $9) AS told FROM added`,
    [id, attempt, input.stream, input.text, bytes, token, LOG_LIMIT, LOG_CHANNEL, !embedded],
  );
  if (!rows[0]?.added) throw new Conflict(`Task ${id} changed while you wrote to its log; read it again.`);
  // The embedded database (one instance) does not pass a NOTIFY between its connections: tell this instance's
  // streams directly.
  if (embedded)
    changes().emit("event", { seq: 0, type: "task.log", subject: `task:${id}`, at: new Date().toISOString() });
  return { attempt, bytes };
}

/** The text of one attempt's log (the latest with any output by default), oldest first; "" when it printed nothing. */
export async function readLog(
  db: Db,
  _actor: Actor,
  id: string,
  attempt?: number,
): Promise<{ attempt: number | null; text: string }> {
  const exists = await db.task.findUnique({ where: { id }, select: { id: true } });
  if (!exists) throw new NotFound(`No task ${id}.`);
  const which =
    attempt ??
    (await db.taskLogChunk.findFirst({ where: { taskId: id }, orderBy: { id: "desc" }, select: { attempt: true } }))
      ?.attempt;
  if (which === undefined) return { attempt: null, text: "" };
  const { rows } = await poolOf(db).query<{ text: string }>(
    `SELECT string_agg(text, '' ORDER BY id) AS text FROM task_log_chunks WHERE task_id = $1 AND attempt = $2`,
    [id, which],
  );
  return { attempt: which, text: rows[0]?.text ?? "" };
}
