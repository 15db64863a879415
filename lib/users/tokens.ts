// People's own API tokens: for the CLI and scripts, acting with their person's role. Random, shown once,
// stored as a SHA-256 hash; a token stops working when it expires, is revoked, or its person is disabled.
import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { hashToken } from "@/lib/auth/tokens";
import { recordEvent } from "@/lib/audit/record";
import { Forbidden, NotFound } from "@/lib/errors";
import { isoTime } from "@/lib/http/time";

/** Personal tokens begin `fedu_`, agent tokens `fed_`: one look tells which table to ask. */
export const PERSONAL_TOKEN_PREFIX = "fedu_";

export const tokenName = z.string().trim().min(1, "Name the token (where it is used).").max(80);
export const expiresInDays = z.number().int().min(1).max(3650);

export const issuePersonalTokenInput = z.strictObject({
  name: tokenName,
  expiresInDays: expiresInDays.optional().describe("Days until the token stops working; without it, it never expires."),
});
export type IssuePersonalTokenInput = z.input<typeof issuePersonalTokenInput>;

export const personalTokenDto = z
  .object({
    prefix: z.string(),
    name: z.string(),
    createdAt: isoTime,
    expiresAt: isoTime.nullable(),
    lastUsedAt: isoTime.nullable(),
  })
  .meta({ id: "PersonalToken" });
export type PersonalTokenDto = z.infer<typeof personalTokenDto>;

export const issuedPersonalToken = z
  .object({
    token: z.string().describe("The bearer token, shown only here."),
    prefix: z.string(),
    name: z.string(),
    expiresAt: isoTime.nullable(),
  })
  .meta({ id: "IssuedPersonalToken" });
export type IssuedPersonalToken = z.infer<typeof issuedPersonalToken>;

export const expiryFrom = (days: number | undefined, now = new Date()): Date | null =>
  days ? new Date(now.getTime() + days * 86_400_000) : null;

function personOf(actor: Actor, what: string): string {
  if (actor.kind !== "user") throw new Forbidden(`Only a person ${what}; agents and the bootstrap token have none.`);
  return actor.userId;
}

export async function issuePersonalToken(
  db: Db,
  actor: Actor,
  raw: IssuePersonalTokenInput,
): Promise<IssuedPersonalToken> {
  const userId = personOf(actor, "issues personal tokens");
  const input = issuePersonalTokenInput.parse(raw);
  const token = PERSONAL_TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const prefix = token.slice(0, PERSONAL_TOKEN_PREFIX.length + 8);
  return db.$transaction(async (tx) => {
    const row = await tx.userToken.create({
      data: {
        id: randomUUID(),
        userId,
        name: input.name,
        prefix,
        tokenHash: hashToken(token),
        expiresAt: expiryFrom(input.expiresInDays),
      },
    });
    await recordEvent(tx, {
      actor,
      action: "user.token_issued",
      subject: `user:${actor.label}`,
      details: { prefix, name: input.name, expiresAt: row.expiresAt?.toISOString() ?? null },
    });
    return { token, prefix, name: row.name, expiresAt: row.expiresAt?.toISOString() ?? null };
  });
}

/** The caller's tokens that still work or were used, newest first (revoked ones are gone from the list). */
export async function listPersonalTokens(db: Tx, actor: Actor): Promise<PersonalTokenDto[]> {
  const userId = personOf(actor, "has personal tokens");
  const rows = await db.userToken.findMany({ where: { userId, revokedAt: null }, orderBy: { createdAt: "desc" } });
  return rows.map((r) => ({
    prefix: r.prefix,
    name: r.name,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt?.toISOString() ?? null,
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  }));
}

export async function revokePersonalToken(db: Db, actor: Actor, prefix: string): Promise<void> {
  const userId = personOf(actor, "revokes personal tokens");
  await db.$transaction(async (tx) => {
    const row = await tx.userToken.findFirst({ where: { userId, prefix, revokedAt: null } });
    if (!row) throw new NotFound(`You have no token ${prefix}.`);
    await tx.userToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
    await recordEvent(tx, {
      actor,
      action: "user.token_revoked",
      subject: `user:${actor.label}`,
      details: { prefix, name: row.name },
    });
  });
}

/** The person behind a personal token, or null when it is unknown, revoked, expired, or its person disabled. */
export async function actorFromPersonalToken(db: Tx, token: string): Promise<Actor | null> {
  const row = await db.userToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      id: true,
      revokedAt: true,
      expiresAt: true,
      lastUsedAt: true,
      user: { select: { id: true, email: true, role: true, disabled: true } },
    },
  });
  const now = new Date();
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now) || row.user.disabled) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 30_000)
    await db.userToken.update({ where: { id: row.id }, data: { lastUsedAt: now } }).catch(() => {});
  return { kind: "user", role: row.user.role, userId: row.user.id, label: row.user.email };
}
