// Times that come in from outside (a query's `since`, a vote's `closesAt`, a cursor's position): ISO 8601 with an
// offset, and within what PostgreSQL stores — a year-0 date or one that an offset pushes past 9999 is a 422/400,
// never a database error.
import { z } from "zod";

const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export const inStorableRange = (value: string) => {
  const t = Date.parse(value);
  return Number.isFinite(t) && t >= EARLIEST && t <= LATEST;
};

const RANGE = "Use a time between 1970 and the end of 9999 (UTC).";

/** An ISO 8601 time as a caller may send it. */
export function isoTimeInput(message = "Use an ISO 8601 time, e.g. 2026-12-01T12:00:00Z.") {
  return z.iso.datetime({ offset: true, message }).refine(inStorableRange, { message: RANGE });
}

/** A time inside a cursor this API handed out (UTC, in range). */
export const cursorTime = z.iso.datetime().refine(inStorableRange, { message: RANGE });

/** An id inside a cursor: the printable characters ids are made of, nothing else (no NUL, no control bytes). */
export const cursorId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w.:-]+$/);

/** A time in an answer: ISO 8601, UTC. */
export const isoTime = z.iso.datetime();
