// People who sign in: admins manage them and their roles.
import { randomUUID } from "node:crypto";
import type { Db, Tx } from "@/lib/db/client";
import type { User } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/actor";
import { requireAdmin } from "@/lib/auth/policy";
import { generatePassword, hashPassword } from "@/lib/auth/password";
import { changedFields, recordEvent } from "@/lib/audit/record";
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/errors";
import { createUserInput, type CreateUserInput, type UpdateUserInput, type UserDto } from "./schema";

export function toUserDto(u: User): UserDto {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: u.disabled,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
  };
}

export async function listUsers(db: Tx, actor: Actor): Promise<UserDto[]> {
  requireAdmin(actor, "list users");
  return (await db.user.findMany({ orderBy: { createdAt: "asc" } })).map(toUserDto);
}

/** True until anyone has signed in: the login page then says where the first admin's password was printed. */
export async function isFirstSignIn(db: Tx): Promise<boolean> {
  return (await db.user.count({ where: { lastLoginAt: { not: null } } })) === 0;
}

/**
 * Locks every active admin (changes to people then happen one at a time) and, when a person acts, checks under that
 * lock that they still are one: an admin demoted while their own request was on its way no longer acts as one — the
 * role their session showed a moment earlier is not enough. Returns how many active admins there are.
 */
export async function lockAdmins(tx: Tx, actor: Actor, what: string): Promise<number> {
  const admins = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM users WHERE role = 'admin' AND NOT disabled ORDER BY id FOR UPDATE`;
  if (actor.kind === "user" && !admins.some((a) => a.id === actor.userId))
    throw new Forbidden(`Only an admin may ${what}; you are no longer one.`);
  return admins.length;
}

/** Creates a user; when no password is given one is generated and returned once. */
export async function createUser(
  db: Db,
  actor: Actor,
  raw: CreateUserInput,
): Promise<{ user: UserDto; password: string }> {
  requireAdmin(actor, "add users");
  const input = createUserInput.parse(raw);
  const password = input.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    await lockAdmins(tx, actor, "add users");
    if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
      throw new Conflict(`A user with email ${input.email} already exists.`);
    }
    const user = await tx.user.create({
      data: {
        id: randomUUID(),
        email: input.email,
        name: input.name,
        role: input.role,
        passwordHash,
        // A generated password was seen by whoever read the answer: its owner chooses their own at first sign-in.
        mustChangePassword: !input.password,
      },
    });
    await recordEvent(tx, {
      actor,
      action: "user.created",
      subject: `user:${user.email}`,
      details: { role: user.role },
    });
    return { user: toUserDto(user), password };
  });
}

export async function updateUser(db: Db, actor: Actor, id: string, input: UpdateUserInput): Promise<UserDto> {
  requireAdmin(actor, "change users");
  return db.$transaction(async (tx) => {
    // Before reading the user: two concurrent changes then see each other's result (and a demoted admin, theirs).
    const admins = await lockAdmins(tx, actor, "change users");
    const before = await tx.user.findUnique({ where: { id } });
    if (!before) throw new NotFound(`No user ${id}.`);
    const demotesAdmin =
      before.role === "admin" &&
      !before.disabled &&
      ((input.role && input.role !== "admin") || input.disabled === true);
    if (demotesAdmin && admins <= 1)
      throw new Invalid("The last admin cannot be demoted or disabled.", [
        { path: "role", message: "Keep at least one admin." },
      ]);
    const user = await tx.user.update({ where: { id }, data: input });
    const details = changedFields(before, user, ["role", "disabled", "name"]);
    if (Object.keys(details).length) {
      await recordEvent(tx, {
        actor,
        action: details.role ? "user.role_changed" : "user.updated",
        subject: `user:${user.email}`,
        details,
      });
    }
    return toUserDto(user);
  });
}
