// One task filter for the queue console's list, counts, bulk actions and CSV export: state, agent, type,
// priority and full-text search (PostgreSQL tsvector over title, description and outcome summary), turned into
// one SQL condition with numbered parameters.
import type { TaskFilter } from "./schema";

export { taskFilter, type TaskFilter } from "./schema";

const TASK_ID_PREFIX = /^task-[\d-]*$/;

/** The words of a search as a prefix tsquery (`migr:* & test:*`); only letters and digits reach PostgreSQL. */
export function searchQuery(q: string): string | null {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length
    ? words
        .slice(0, 12)
        .map((w) => `${w}:*`)
        .join(" & ")
    : null;
}

/** The WHERE condition for a filter on `tasks` aliased `a`; pushes its values onto `params`. */
export function filterSql(f: TaskFilter, params: unknown[], a = "t"): string {
  const where: string[] = [];
  const add = (value: unknown) => `$${params.push(value)}`;
  if (f.state) where.push(`${a}.state = ${add(f.state)}::"TaskState"`);
  if (f.assignee) where.push(f.assignee === "none" ? `${a}.assignee IS NULL` : `${a}.assignee = ${add(f.assignee)}`);
  if (f.type?.trim()) where.push(`${a}.type = ${add(f.type.trim())}`);
  if (f.priority) where.push(`${a}.priority = ${add(f.priority)}::"TaskPriority"`);
  const q = f.q?.trim();
  if (q) {
    if (TASK_ID_PREFIX.test(q)) where.push(`${a}.id LIKE ${add(`${q}%`)}`);
    else {
      const tsq = searchQuery(q);
      // Nothing searchable (only punctuation): nothing matches, rather than everything.
      where.push(tsq ? `${a}.search @@ to_tsquery('english', ${add(tsq)})` : "false");
    }
  }
  return where.length ? where.join(" AND ") : "true";
}
