// Passwords after the first: a person changes their own (the other sessions end), an admin resets
// someone's (all their sessions end). The audit log records that it happened, never the password.
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { requireAdmin } from "@/lib/auth/policy";
import { generatePassword, hashPassword, verifyPassword } from "@/lib/auth/password";
import { revokeUserSessions } from "@/lib/auth/sessions";
import { recordEvent } from "@/lib/audit/record";
import { Forbidden, Invalid, NotFound, RateLimited } from "@/lib/errors";
import { clearFailures, FREE_FAILURES, reserveAttempt } from "@/lib/auth/login-throttle";
import type { ChangePasswordInput, ResetPasswordInput } from "./schema";
import { lockAdmins } from "./service";

export async function changeOwnPassword(
  db: Db,
  actor: Actor,
  input: ChangePasswordInput,
): Promise<{ sessionsEnded: number }> {
  if (actor.kind !== "user") throw new Forbidden("Only a signed-in person changes their own password.");
  const user = await db.user.findUnique({ where: { id: actor.userId } });
  if (!user) throw new NotFound(`Your account no longer exists.`);
  // Guessing the current password (a session left open on someone's desk) is throttled like sign-in.
  const key = `password:${user.id}`;
  const wait = await reserveAttempt(db, key, FREE_FAILURES);
  if (wait > 0) throw new RateLimited(wait);
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new Invalid("The current password is wrong.", [
      { path: "currentPassword", message: "This is not your current password." },
    ]);
  }
  await clearFailures(db, key);
  const passwordHash = await hashPassword(input.newPassword);
  return db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, mustChangePassword: false } });
    const sessionsEnded = await revokeUserSessions(tx, user.id, actor.sessionId);
    await recordEvent(tx, {
      actor,
      action: "user.password_changed",
      subject: `user:${user.email}`,
      details: { sessionsEnded },
    });
    return { sessionsEnded };
  });
}

export async function resetPassword(
  db: Db,
  actor: Actor,
  userId: string,
  input: ResetPasswordInput,
): Promise<{ password: string; generated: boolean }> {
  requireAdmin(actor, "reset passwords");
  const password = input.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    await lockAdmins(tx, actor, "reset passwords");
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw new NotFound(`No user ${userId}.`);
    await tx.user.update({ where: { id: userId }, data: { passwordHash, mustChangePassword: !input.password } });
    const sessionsEnded = await revokeUserSessions(tx, userId);
    await recordEvent(tx, {
      actor,
      action: "user.password_reset",
      subject: `user:${user.email}`,
      details: { sessionsEnded },
    });
    return { password, generated: !input.password };
  });
}
