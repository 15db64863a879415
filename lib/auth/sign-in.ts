// Email + password sign-in with throttling per email and per client address, in constant-ish time: an
// unknown email costs the same scrypt as a known one.
import type { Tx } from "@/lib/db/client";
import { recordEvent } from "@/lib/audit/record";
import { clearFailures, refundAttempt, reserveAttempt } from "./login-throttle";
import { hashPassword, verifyPassword } from "./password";

export class SignInError extends Error {}

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: string;
}

let dummyHash: Promise<string> | null = null;
/** A real hash of nothing, so that checking against it costs what checking a real password does. */
const dummy = () => (dummyHash ??= hashPassword("federation-dummy-password-for-timing"));

export async function signIn(db: Tx, email: string, password: string, clientAddress: string): Promise<SignedInUser> {
  const normalized = email.trim().toLowerCase();
  const emailKey = `email:${normalized}`;
  const addressKey = `ip:${clientAddress}`;
  const waits = [await reserveAttempt(db, emailKey), await reserveAttempt(db, addressKey)];
  const wait = Math.max(...waits);
  if (wait > 0) throw new SignInError(`Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} minute(s).`);
  const user = await db.user.findUnique({ where: { email: normalized } });
  const matches = await verifyPassword(password, user?.passwordHash ?? (await dummy()));
  if (!user || user.disabled || !matches) throw new SignInError("Wrong email or password.");
  await clearFailures(db, emailKey);
  await refundAttempt(db, addressKey);
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await recordEvent(db, { actor: user.email, action: "user.signed_in", subject: `user:${user.email}`, details: {} });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
