// Sign-in throttling shared by every app instance. Each attempt is counted *before* its password is
// checked, in one atomic statement, so concurrent guesses cannot all slip in under the limit: within a
// window, attempts beyond MAX_FAILURES are refused unchecked and lock the key for a while.
import type { Tx } from "@/lib/db/client";

export const MAX_FAILURES = 5;
const WINDOW_MINUTES = 15;
const LOCK_MINUTES = 15;

/** Counts one attempt for `key`; returns the seconds it must wait (0: go ahead and check the password). */
export async function reserveAttempt(db: Tx, key: string): Promise<number> {
  const [row] = await db.$queryRaw<{ failures: number; wait: number }[]>`
    INSERT INTO login_throttle (key, failures, window_start) VALUES (${key}, 1, now())
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN login_throttle.window_start < now() - make_interval(mins => ${WINDOW_MINUTES}) THEN 1 ELSE login_throttle.failures + 1 END,
      window_start = CASE WHEN login_throttle.window_start < now() - make_interval(mins => ${WINDOW_MINUTES}) THEN now() ELSE login_throttle.window_start END,
      locked_until = CASE
        WHEN login_throttle.locked_until > now() THEN login_throttle.locked_until
        WHEN login_throttle.window_start >= now() - make_interval(mins => ${WINDOW_MINUTES}) AND login_throttle.failures + 1 > ${MAX_FAILURES}
          THEN now() + make_interval(mins => ${LOCK_MINUTES})
        ELSE login_throttle.locked_until END
    RETURNING failures, greatest(0, ceil(extract(epoch FROM coalesce(locked_until, now()) - now())))::int AS wait`;
  return row!.wait > 0 ? row!.wait : row!.failures > MAX_FAILURES ? LOCK_MINUTES * 60 : 0;
}

/** A successful sign-in: the email's count starts over; the address gets back the attempt it was charged. */
export async function clearFailures(db: Tx, key: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key } });
}

export async function refundAttempt(db: Tx, key: string): Promise<void> {
  await db.$executeRaw`UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE key = ${key} AND locked_until IS NULL`;
}
