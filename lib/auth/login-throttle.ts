// Sign-in throttling shared by every app instance, aimed at the guesser and never at the owner. Failures are
// counted per account *and* client address (and, far more loosely, per address across accounts): the owner
// arriving from elsewhere with the right password is never refused, and one office behind one address is not
// locked out by one colleague's typos. Past the free failures, each further attempt waits a growing delay
// (1 s, 2 s, 4 s … up to 15 minutes). Each attempt is counted *before* its password is checked, under a row lock,
// so concurrent guesses cannot all slip in: while a delay runs, attempts are refused unchecked.
import type { Db } from "@/lib/db/client";

/** Failures for one account from one address before delays begin. */
export const FREE_FAILURES = 5;
/** Failures from one address across all accounts before delays begin (credential stuffing). */
export const FREE_ADDRESS_FAILURES = 50;
/** Quiet this long since the last attempt and a key starts over. */
const RESET_MS = 15 * 60_000;
const MAX_DELAY_S = 15 * 60;

/** Counts one attempt for `key`; returns the seconds it must wait (0: go ahead and check the password). */
export async function reserveAttempt(db: Db, key: string, free: number): Promise<number> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`INSERT INTO login_throttle (key, failures, window_start) VALUES (${key}, 0, now()) ON CONFLICT (key) DO NOTHING`;
    const [row] = await tx.$queryRaw<{ failures: number; last: Date; locked: Date | null; now: Date }[]>`
      SELECT failures, window_start AS last, locked_until AS locked, now() AS now FROM login_throttle WHERE key = ${key} FOR UPDATE`;
    const now = row!.now.getTime();
    if (row!.locked && row!.locked.getTime() > now) return Math.ceil((row!.locked.getTime() - now) / 1000);
    const failures = (now - row!.last.getTime() > RESET_MS ? 0 : row!.failures) + 1;
    // Counted as a failure until the password proves right; past the free ones, the next attempt waits.
    const locked = failures >= free ? new Date(now + Math.min(MAX_DELAY_S, 2 ** (failures - free)) * 1000) : null;
    await tx.$executeRaw`UPDATE login_throttle SET failures = ${failures}, window_start = ${new Date(now)}, locked_until = ${locked} WHERE key = ${key}`;
    return 0;
  });
}

/** The right password: this key starts over. */
export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key } });
}

/** The right password: the attempt charged to a shared key (an address) is given back, and its delay with it. */
export async function refundAttempt(db: Db, key: string, free: number): Promise<void> {
  await db.$executeRaw`UPDATE login_throttle SET failures = greatest(failures - 1, 0),
    locked_until = CASE WHEN failures - 1 < ${free} THEN NULL ELSE locked_until END WHERE key = ${key}`;
}
