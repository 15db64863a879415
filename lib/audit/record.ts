// Writes one audit event; callers pass the same transaction as the change it describes.
import type { Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/actor";
import type { AuditAction } from "./actions";

export interface EventInput {
  actor: Actor | string;
  action: AuditAction;
  subject: string;
  details?: Prisma.InputJsonObject;
}

export async function recordEvent(db: Tx, event: EventInput): Promise<void> {
  const actor = typeof event.actor === "string" ? event.actor : event.actor.label;
  await db.auditEvent.create({
    data: { actor, action: event.action, subject: event.subject, details: event.details ?? {} },
  });
}

type Json = Prisma.InputJsonValue | null;

/** `{ field: { from, to } }` for each listed field whose value changed; the details of an update event. */
export function changedFields<T extends Record<string, unknown>>(
  before: T,
  after: T,
  fields: (keyof T & string)[],
): Record<string, { from: Json; to: Json }> {
  const changes: Record<string, { from: Json; to: Json }> = {};
  for (const field of fields) {
    const from = before[field] as Json;
    const to = after[field] as Json;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return changes;
}
