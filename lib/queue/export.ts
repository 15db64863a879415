// CSV export of any filtered task list: streamed a thousand rows at a time in keyset order (newest first), so a
// 200 000-task export neither holds a transaction nor builds the file in memory.
import { poolOf, type Db } from "@/lib/db/client";
import { filterSql } from "./filter";
import type { TaskFilter } from "./schema";

export const CSV_COLUMNS = [
  "id",
  "title",
  "type",
  "priority",
  "state",
  "assignee",
  "attempts",
  "max_attempts",
  "created_by",
  "created_at",
  "completed_at",
  "summary",
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, semicolon, quote, tab or line break. A field a spreadsheet
 * would run as a formula (starting with = + - @ or a tab) gets a leading apostrophe, so an agent's text cannot run in
 * someone's spreadsheet — and so does every formula start after a semicolon or a tab inside it: where `;` is the
 * list separator (most of Europe), a spreadsheet splits `x;=1+1` there and the second half is a cell of its own.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  text = text.replace(/([;\t])(\s*)(?=[=+\-@])/g, "$1$2'");
  return /[",;\t\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const BATCH = 1_000;

export async function* tasksCsv(db: Db, filter: TaskFilter): AsyncGenerator<string> {
  yield CSV_COLUMNS.join(",") + "\r\n";
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const params: unknown[] = [];
    const where = [filterSql(filter, params)];
    if (after) where.push(`(t.created_at, t.id) < ($${params.push(after.at)}, $${params.push(after.id)})`);
    const { rows } = await poolOf(db).query<Record<(typeof CSV_COLUMNS)[number], unknown> & { created_at: Date }>(
      `SELECT t.id, t.title, t.type, t.priority::text AS priority, t.state::text AS state, t.assignee, t.attempts,
              t.max_attempts, t.created_by, t.created_at, t.completed_at, t.outcome ->> 'summary' AS summary
       FROM tasks t WHERE ${where.join(" AND ")} ORDER BY t.created_at DESC, t.id DESC LIMIT ${BATCH}`,
      params,
    );
    if (rows.length) yield rows.map((r) => CSV_COLUMNS.map((c) => csvField(r[c])).join(",")).join("\r\n") + "\r\n";
    if (rows.length < BATCH) return;
    const last = rows[rows.length - 1]!;
    after = { at: last.created_at, id: String(last.id) };
  }
}
