// Server-side sessions: the session cookie carries a session id, and a session counts only while its row
// lives. Signing out, a password change or an admin's reset ends sessions here, whatever cookie remains.
import { randomBytes } from "node:crypto";
import type { Tx } from "@/lib/db/client";
import type { Actor } from "./actor";

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 3600;

export async function createSession(db: Tx, userId: string, userAgent?: string | null): Promise<string> {
  const id = randomBytes(24).toString("base64url");
  await db.userSession.create({
    data: {
      id,
      userId,
      expiresAt: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
      userAgent: userAgent?.slice(0, 300) ?? null,
    },
  });
  return id;
}

/** The person behind a live session: not signed out, not expired, not disabled. */
export async function actorFromSession(db: Tx, sessionId: string): Promise<Actor | null> {
  const session = await db.userSession.findUnique({
    where: { id: sessionId },
    select: {
      revokedAt: true,
      expiresAt: true,
      user: { select: { id: true, email: true, role: true, disabled: true } },
    },
  });
  if (!session || session.revokedAt || session.expiresAt <= new Date() || session.user.disabled) return null;
  return { kind: "user", role: session.user.role, userId: session.user.id, label: session.user.email, sessionId };
}

export async function revokeSession(db: Tx, sessionId: string): Promise<void> {
  await db.userSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** Ends every session of a user, except `keep` (the one changing its own password). */
export async function revokeUserSessions(db: Tx, userId: string, keep?: string): Promise<number> {
  const { count } = await db.userSession.updateMany({
    where: { userId, revokedAt: null, ...(keep ? { id: { not: keep } } : {}) },
    data: { revokedAt: new Date() },
  });
  return count;
}
