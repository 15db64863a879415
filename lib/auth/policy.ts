// Who may do what. Every domain function asks here before it changes anything.
import { Forbidden } from "@/lib/errors";
import type { Actor } from "./actor";

export function requireAdmin(actor: Actor, what: string): void {
  if (actor.role !== "admin") throw new Forbidden(`Only an admin may ${what}.`);
}

/** Admins and members change things; viewers only look. Agents act through their own routes. */
export function requireWriter(actor: Actor, what: string): void {
  if (actor.role === "viewer") throw new Forbidden(`A viewer may not ${what}.`);
}

/** That agent itself, or an admin. */
export function requireAgentOrAdmin(actor: Actor, agent: string, what: string): void {
  if (actor.role === "admin") return;
  if (actor.kind === "agent" && actor.agent === agent) return;
  if (actor.kind === "agent") throw new Forbidden(`Agent ${actor.agent} may not ${what} for agent ${agent}.`);
  throw new Forbidden(`Only agent ${agent} or an admin may ${what}.`);
}
