// What a caller may see of the change feed, the same in every channel (the event stream, the log, its Markdown
// export): admins and members see everything; an agent or a viewer does not see other agents' tokens, outcomes and
// training samples, nor anything about people (their emails, sign-ins, passwords, tokens). An agent sees all that
// is about itself.
import type { Actor } from "@/lib/auth/actor";
import { inDomain } from "@/lib/audit/actions";

/** Actions about an agent that only the people running the federation (and the agent itself) see. */
const PRIVATE_AGENT_ACTIONS = /^(agent\.token_|outcome\.|routing\.trained)/;

export function seesEverything(actor: Actor): boolean {
  return actor.role === "admin" || actor.role === "member";
}

/** Whether `actor` may see an event with this action and subject (`task:…`, `agent:kimi`, `user:…`). */
export function eventVisibleTo(actor: Actor): (e: { type: string; subject: string }) => boolean {
  if (seesEverything(actor)) return () => true;
  const own = actor.kind === "agent" ? `agent:${actor.agent}` : null;
  return (e) => {
    if (e.subject.startsWith("user:") || inDomain(e.type, "user")) return false;
    if (e.subject === own) return true;
    return !PRIVATE_AGENT_ACTIONS.test(e.type);
  };
}

const EMAIL = /[^\s@"'<>()[\]]+@[^\s@"'<>()[\]]+\.[^\s@"'<>()[\]]+/g;

/** A person's email, for those who may not see it: "a person". Deep, through every string in `value`. */
function maskEmails<T>(value: T): T {
  if (typeof value === "string") return value.replace(EMAIL, "a person") as T;
  if (Array.isArray(value)) return value.map(maskEmails) as T;
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskEmails(v)])) as T;
  return value;
}

/**
 * Audit events as `actor` may see them: for an agent or a viewer, nothing about people (user events go) and no
 * person's email (an admin who decided reads "a person"), and not other agents' tokens, outcomes or samples.
 */
export function redactEvents<E extends { action: string; subject: string; actor: string; details: unknown }>(
  actor: Actor,
  events: E[],
): E[] {
  if (seesEverything(actor)) return events;
  const visible = eventVisibleTo(actor);
  return events
    .filter((e) => visible({ type: e.action, subject: e.subject }))
    .map((e) => ({ ...e, actor: maskEmails(e.actor), details: maskEmails(e.details) }));
}
