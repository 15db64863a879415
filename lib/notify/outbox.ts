// The outbox: an audit event people may need to hear of wrote a notification_outbox row in its own transaction (a
// trigger, so every writer — Prisma or one of the fast SQL paths — does). Any instance takes a batch (SKIP LOCKED:
// several instances share the work, none takes a row twice), turns each event into one delivery per subscribed
// endpoint and one mail per person who wants it, and deletes the rows — all in one transaction. A crash before the
// commit leaves the rows for the next try; after it, the deliveries exist and are sent until they succeed.
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { formatBody, type WebhookFormat } from "@/lib/webhooks/format";
import { isNotifyEvent, messageOf, plainText, type AuditRow } from "./events";
import { mailEnabled, queueMails } from "./mail";

export const newDeliveryId = () => `msg_${randomUUID().replace(/-/g, "")}`;

/** Fans out one batch; returns how many outbox rows it took (fewer than `limit`: the outbox is empty). */
export async function drainOutbox(db: Db, limit = 100): Promise<number> {
  return db.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<(AuditRow & { event_id: bigint; found: boolean })[]>`
        SELECT o.event_id, e.id IS NOT NULL AS found, e.id, e.at, e.actor, e.action, e.subject, e.details
        FROM notification_outbox o LEFT JOIN audit_events e ON e.id = o.event_id
        ORDER BY o.event_id LIMIT ${limit} FOR UPDATE OF o SKIP LOCKED`;
      if (!rows.length) return 0;
      const endpoints = await tx.webhookEndpoint.findMany({
        where: { enabled: true },
        select: { id: true, events: true, format: true },
      });
      const people = mailEnabled()
        ? await tx.user.findMany({ where: { disabled: false }, select: { id: true, role: true, notify: true } })
        : [];
      const now = new Date();
      for (const row of rows) {
        if (!row.found || !isNotifyEvent(row.action)) continue;
        const wanting = endpoints.filter((e) => e.events.includes(row.action));
        if (!wanting.length && !people.length) continue;
        // One event that cannot be told (a message that fails to build) is logged and skipped, not retried forever
        // in front of the rest: its own writes are undone to the savepoint.
        await tx.$executeRaw`SAVEPOINT outbox_row`;
        try {
          const message = await messageOf(tx, row);
          if (wanting.length)
            await tx.webhookDelivery.createMany({
              data: wanting.map((e) => ({
                id: newDeliveryId(),
                endpointId: e.id,
                eventType: row.action,
                eventId: row.event_id,
                body: formatBody(e.format as WebhookFormat, message),
                nextAttemptAt: now,
              })),
            });
          if (people.length)
            await queueMails(tx, people, row.action, Number(row.event_id), message.title, plainText(message), now);
          await tx.$executeRaw`RELEASE SAVEPOINT outbox_row`;
        } catch (error) {
          await tx.$executeRaw`ROLLBACK TO SAVEPOINT outbox_row`;
          console.error(
            `[notify] audit event ${row.event_id} (${row.action}) could not be told:`,
            (error as Error).message,
          );
        }
      }
      const ids = rows.map((r) => r.event_id);
      await tx.$executeRaw`DELETE FROM notification_outbox WHERE event_id = ANY(${ids}::bigint[])`;
      return rows.length;
    },
    { timeout: 15_000 },
  );
}
