// Who is acting: a signed-in user, an agent holding a token, the bootstrap admin token, or the system.
export type Role = "admin" | "member" | "viewer";

export type Actor =
  | { kind: "user"; role: Role; userId: string; label: string; sessionId?: string }
  | { kind: "agent"; role: "agent"; agent: string; tokenId: string; label: string }
  | { kind: "admin-token"; role: "admin"; label: "admin-token" }
  | { kind: "system"; role: "admin"; label: "system" };

export const SYSTEM: Actor = { kind: "system", role: "admin", label: "system" };

export function isAdmin(actor: Actor): boolean {
  return actor.role === "admin";
}

/** The user id to record as creator, when the actor is a person. */
export function actorUserId(actor: Actor): string | null {
  return actor.kind === "user" ? actor.userId : null;
}
