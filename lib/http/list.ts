// Cursor pagination shared by every list route: `?limit=1..200` (50) and an opaque `?cursor=`.
import { z } from "zod";
import { cursorId, cursorTime } from "./time";
import { BadRequest } from "@/lib/errors";

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

/** The cursor of lists ordered by (createdAt, id) descending: exactly what toPage hands out, nothing else. */
export const timeIdCursor = z.strictObject({ at: cursorTime, id: cursorId });
/** The cursor of lists ordered by a numeric id. */
export const numericCursor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (!cursor) return undefined;
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new BadRequest("The cursor is not one this API handed out.");
  }
}

/** Given `limit + 1` rows, returns a page and the cursor of its last item. */
export function toPage<Row, T>(
  rows: Row[],
  limit: number,
  map: (row: Row) => T,
  cursorOf: (row: Row) => unknown,
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { items: kept.map(map), nextCursor: more && last !== undefined ? encodeCursor(cursorOf(last)) : null };
}
