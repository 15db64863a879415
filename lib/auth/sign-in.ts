// Email + password sign-in with throttling per email and per client address.
import type { Tx } from "@/lib/db/client";
import { recordEvent } from "@/lib/audit/record";
import { clearFailures, lockedFor, recordFailure } from "./login-throttle";
import { verifyPassword } from "./password";

export class SignInError extends Error {}

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: string;
}

export async function signIn(db: Tx, email: string, password: string, clientAddress: string): Promise<SignedInUser> {
  const normalized = email.trim().toLowerCase();
  const keys = [`email:${normalized}`, `ip:${clientAddress}`];
  for (const key of keys) {
    const wait = await lockedFor(db, key);
    if (wait > 0) throw new SignInError(`Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} minute(s).`);
  }
  const user = await db.user.findUnique({ where: { email: normalized } });
  const ok = user && !user.disabled && (await verifyPassword(password, user.passwordHash));
  if (!ok || !user) {
    for (const key of keys) await recordFailure(db, key);
    throw new SignInError("Wrong email or password.");
  }
  await clearFailures(db, `email:${normalized}`);
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await recordEvent(db, { actor: user.email, action: "user.signed_in", subject: `user:${user.email}`, details: {} });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
