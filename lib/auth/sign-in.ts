// Email + password sign-in, throttled per account and client address (lib/auth/login-throttle.ts), in constant-ish
// time: an unknown email costs the same scrypt as a known one.
import type { Db } from "@/lib/db/client";
import { recordEvent } from "@/lib/audit/record";
import { clearFailures, FREE_ADDRESS_FAILURES, FREE_FAILURES, refundAttempt, reserveAttempt } from "./login-throttle";
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

/** "12 seconds", "3 minutes" */
const waitWords = (s: number) => (s < 90 ? `${s} second${s === 1 ? "" : "s"}` : `${Math.ceil(s / 60)} minutes`);

export async function signIn(db: Db, email: string, password: string, clientAddress: string): Promise<SignedInUser> {
  const normalized = email.trim().toLowerCase();
  const pairKey = `pair:${normalized}|${clientAddress}`;
  const addressKey = `ip:${clientAddress}`;
  const waits = [
    await reserveAttempt(db, pairKey, FREE_FAILURES),
    await reserveAttempt(db, addressKey, FREE_ADDRESS_FAILURES),
  ];
  const wait = Math.max(...waits);
  if (wait > 0) throw new SignInError(`Too many failed sign-ins from here. Try again in ${waitWords(wait)}.`);
  const user = await db.user.findUnique({ where: { email: normalized } });
  const matches = await verifyPassword(password, user?.passwordHash ?? (await dummy()));
  if (!user || user.disabled || !matches) throw new SignInError("Wrong email or password.");
  await clearFailures(db, pairKey);
  await refundAttempt(db, addressKey, FREE_ADDRESS_FAILURES);
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await recordEvent(db, { actor: user.email, action: "user.signed_in", subject: `user:${user.email}`, details: {} });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
