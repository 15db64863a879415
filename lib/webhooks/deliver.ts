// Sending deliveries: any instance takes the due ones (a lease, so two instances never send one at once and a killed
// sender's are taken again when the lease ends), POSTs each with its fixed webhook-id and body, records the attempt,
// and schedules the next with exponential back-off and jitter for 24 h: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h,
// then every 4 h. An endpoint failing for 5 days is disabled, and its admins are told.
import type { Db } from "@/lib/db/client";
import { recordEvent } from "@/lib/audit/record";
import { mailEnabled } from "@/lib/notify/mail";
import { SYSTEM } from "@/lib/auth/actor";
import { postWebhook } from "./http";
import { webhookHeaders } from "./sign";

/** Seconds to the next try after the n-th failed one (1-based), before jitter. */
const BACKOFF_S = [5, 30, 120, 600, 1800, 3600, 7200, 14400];
export const RETRY_FOR_MS = 24 * 3600_000;
export const DISABLE_AFTER_MS = 5 * 24 * 3600_000;
/** How long a sender holds a delivery it took: longer than one POST may last. */
const LEASE_S = 60;

/** The wait after the n-th failure: the schedule ± 20 %, never more than 1.2× (the first retry within 10 s). */
export function backoffMs(failures: number, random = Math.random): number {
  const base = BACKOFF_S[Math.min(failures, BACKOFF_S.length) - 1]! * 1000;
  return Math.round(base * (0.8 + 0.4 * random()));
}

interface Due {
  id: string;
  endpoint_id: string;
  body: string;
}

/** Takes up to `limit` due deliveries of enabled endpoints for LEASE_S seconds. */
const TAKE_DUE = `
  WITH due AS MATERIALIZED (
    SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id AND w.enabled
    WHERE d.state = 'pending' AND d.next_attempt_at <= now() AND (d.locked_until IS NULL OR d.locked_until < now())
    ORDER BY d.next_attempt_at LIMIT $1 FOR UPDATE OF d SKIP LOCKED)
  UPDATE webhook_deliveries d SET locked_until = now() + make_interval(secs => ${LEASE_S})
  FROM due WHERE d.id = due.id
  RETURNING d.id, d.endpoint_id, d.body`;

/** Sends what is due; returns how many attempts were made. */
export async function sendDueDeliveries(db: Db, limit = 20): Promise<number> {
  const due = await db.$queryRawUnsafe<Due[]>(TAKE_DUE, limit);
  const results = await Promise.allSettled(due.map((d) => attempt(db, d.id, false)));
  // One delivery that cannot be recorded keeps its lease and is tried again when it ends; the others go on.
  for (const r of results)
    if (r.status === "rejected")
      console.error("[webhooks] an attempt could not be recorded:", (r.reason as Error).message);
  return due.length;
}

/**
 * Takes a delivery for a retry by hand (the lease a scheduled send takes), so a replay and the schedule never send
 * one delivery at once. False while someone holds it.
 */
export async function leaseForRetry(db: Db, endpointId: string, deliveryId: string): Promise<boolean> {
  const n = await db.$executeRaw`
    UPDATE webhook_deliveries SET locked_until = now() + make_interval(secs => ${LEASE_S})
    WHERE id = ${deliveryId} AND endpoint_id = ${endpointId} AND (locked_until IS NULL OR locked_until < now())`;
  return n === 1;
}

/**
 * One attempt of a delivery the caller holds the lease of; `manual` for a replay by hand, which sends once more
 * whatever the state and does not move the schedule unless it succeeds.
 */
export async function attempt(db: Db, deliveryId: string, manual: boolean): Promise<void> {
  const d = await db.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { endpoint: true } });
  if (!d) return;
  const ep = d.endpoint;
  const now = new Date();
  const secrets = [
    ep.secret,
    ...(ep.previousSecret && ep.previousSecretUntil && ep.previousSecretUntil > now ? [ep.previousSecret] : []),
  ];
  const result = await postWebhook(ep.url, d.body, webhookHeaders(secrets, d.id, d.body));
  const ok = result.status !== null && result.status >= 200 && result.status < 300;
  await db.$transaction(async (tx) => {
    await tx.webhookAttempt.create({
      data: {
        deliveryId: d.id,
        statusCode: result.status,
        latencyMs: result.latencyMs,
        error: result.error,
        responseExcerpt: result.excerpt,
        manual,
      },
    });
    const at = new Date();
    if (ok) {
      await tx.webhookDelivery.update({
        where: { id: d.id },
        data: {
          state: "delivered",
          attempts: { increment: 1 },
          deliveredAt: d.deliveredAt ?? at,
          nextAttemptAt: null,
          lockedUntil: null,
        },
      });
      await tx.webhookEndpoint.updateMany({
        where: { id: ep.id, failingSince: { not: null } },
        data: { failingSince: null },
      });
      return;
    }
    if (manual) {
      await tx.webhookDelivery.update({
        where: { id: d.id },
        data: { attempts: { increment: 1 }, lockedUntil: null },
      });
    } else {
      // Only a pending delivery is rescheduled (one delivered or given up meanwhile stays so); the lease means no
      // other attempt ran since `d` was read, so its count is this one's.
      const failures = d.attempts + 1;
      const next = new Date(at.getTime() + backoffMs(failures));
      const givenUp = next.getTime() > d.createdAt.getTime() + RETRY_FOR_MS;
      await tx.webhookDelivery.updateMany({
        where: { id: d.id, state: "pending" },
        data: {
          attempts: { increment: 1 },
          state: givenUp ? "failed" : "pending",
          nextAttemptAt: givenUp ? null : next,
          lockedUntil: null,
        },
      });
    }
    // The endpoint has been failing since its first failure after its last success, counted again after a quiet day
    // (an endpoint that failed once five days ago and once now has not been failing for five days).
    const [row] = await tx.$queryRaw<{ failing_since: Date }[]>`
      UPDATE webhook_endpoints SET
        failing_since = CASE WHEN failing_since IS NULL OR last_failure_at IS NULL
          OR last_failure_at < ${at}::timestamptz - interval '24 hours' THEN ${at} ELSE failing_since END,
        last_failure_at = ${at}
      WHERE id = ${ep.id}
      RETURNING failing_since`;
    if (!row || at.getTime() - row.failing_since.getTime() < DISABLE_AFTER_MS) return;
    const last = result.status === null ? "no answer" : `answered ${result.status}`;
    const reason = `Every delivery failed for 5 days (since ${row.failing_since.toISOString()}); the last: ${last}.`;
    // Disabled once: of two senders failing at the same moment, only the one that turns it off tells.
    const disabled = await tx.$executeRaw`
      UPDATE webhook_endpoints SET enabled = false, disabled_reason = ${reason} WHERE id = ${ep.id} AND enabled`;
    if (disabled !== 1) return;
    const host = new URL(ep.url).host;
    // The audit event reaches the log (and webhooks of its own are not sent for it).
    await recordEvent(tx, {
      actor: SYSTEM,
      action: "webhook.disabled",
      subject: `webhook:${ep.id}`,
      details: { host, reason },
    });
    await tellAdmins(
      tx,
      `Webhook to ${host} disabled`,
      `${reason}\n\nEnable it again on the Webhooks page once the receiver works.`,
    );
  });
}

/** A mail to every active admin, sent with the next mails (only when mail is set up). */
async function tellAdmins(
  tx: Parameters<Parameters<Db["$transaction"]>[0]>[0],
  subject: string,
  text: string,
): Promise<void> {
  if (!mailEnabled()) return;
  const admins = await tx.user.findMany({ where: { role: "admin", disabled: false }, select: { id: true } });
  if (admins.length)
    await tx.notificationMail.createMany({
      data: admins.map((a) => ({ userId: a.id, eventType: "webhook.disabled", subject, text })),
    });
}
