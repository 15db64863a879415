// Sign-in throttling shared by every app instance: after too many failures a key is locked for a while.
import type { Tx } from "@/lib/db/client";

export const MAX_FAILURES = 5;
const WINDOW_MINUTES = 15;
const LOCK_MINUTES = 15;

/** Seconds until `key` may try again, or 0. */
export async function lockedFor(db: Tx, key: string): Promise<number> {
  const row = await db.loginThrottle.findUnique({ where: { key } });
  if (!row?.lockedUntil) return 0;
  return Math.max(0, Math.ceil((row.lockedUntil.getTime() - Date.now()) / 1000));
}

export async function recordFailure(db: Tx, key: string): Promise<void> {
  await db.$executeRaw`
    INSERT INTO login_throttle (key, failures, window_start) VALUES (${key}, 1, now())
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN login_throttle.window_start < now() - make_interval(mins => ${WINDOW_MINUTES}) THEN 1 ELSE login_throttle.failures + 1 END,
      window_start = CASE WHEN login_throttle.window_start < now() - make_interval(mins => ${WINDOW_MINUTES}) THEN now() ELSE login_throttle.window_start END,
      locked_until = CASE WHEN login_throttle.window_start >= now() - make_interval(mins => ${WINDOW_MINUTES})
                          AND login_throttle.failures + 1 >= ${MAX_FAILURES}
                     THEN now() + make_interval(mins => ${LOCK_MINUTES}) ELSE login_throttle.locked_until END`;
}

export async function clearFailures(db: Tx, key: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key } });
}
