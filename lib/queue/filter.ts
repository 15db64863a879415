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

/**
 * Words typed with symbols inside or attached (`100%`, `snake_case`, `v1.2`): the search also requires them
 * literally, since the text search splits them (`100%` would find "1000"). Sentence punctuation around a word
 * (`Fix:`) does not count.
 */
export function literalTerms(q: string): string[] {
  return q
    .split(/\s+/)
    .map((w) => w.replace(/^[("'“‘[]+|[)"'”’\],.;:!?]+$/gu, ""))
    .filter((w) => /[\p{L}\p{N}]/u.test(w) && /[^\p{L}\p{N}]/u.test(w));
}

/** A LIKE pattern matching `text` literally anywhere (`%`, `_` and `\` escaped). */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

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
      // Only symbols (`%`): nothing for the text search, so the symbols themselves, literally.
      const literals = tsq ? literalTerms(q) : [q];
      if (tsq) where.push(`${a}.search @@ to_tsquery('english', ${add(tsq)})`);
      for (const term of literals) {
        const pattern = add(containing(term));
        where.push(
          `(${a}.title ILIKE ${pattern} OR ${a}.description ILIKE ${pattern} OR ${a}.outcome ->> 'summary' ILIKE ${pattern})`,
        );
      }
    }
  }
  return where.length ? where.join(" AND ") : "true";
}
