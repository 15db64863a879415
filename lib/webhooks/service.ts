// Webhook endpoints (admin): register (the secret shown once), list, change, delete, send a test, rotate the secret
// (the previous one keeps signing for 24 h), list deliveries with their attempts, and send one again by hand.
import { randomUUID } from "node:crypto";
import type { Db, Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { requireAdmin } from "@/lib/auth/policy";
import { recordEvent } from "@/lib/audit/record";
import { Conflict, Invalid, NotFound } from "@/lib/errors";
import type { WebhookDelivery, WebhookEndpoint, WebhookAttempt } from "@/lib/generated/prisma/client";
import { testMessage } from "@/lib/notify/events";
import { newDeliveryId } from "@/lib/notify/outbox";
import { urlProblem } from "./address";
import { attempt, leaseForRetry, RETRY_FOR_MS } from "./deliver";
import { formatBody, type WebhookFormat } from "./format";
import { newSecret } from "./sign";
import type { CreateWebhookInput, DeliveryDto, UpdateWebhookInput, WebhookDto } from "./schema";

const ROTATION_MS = 24 * 3600_000;

type WithLast = WebhookEndpoint & {
  deliveries?: (Pick<WebhookDelivery, "state" | "createdAt"> & {
    tries: Pick<WebhookAttempt, "statusCode" | "at">[];
  })[];
};

function toDto(w: WithLast, now = new Date()): WebhookDto {
  const last = w.deliveries?.[0];
  return {
    id: w.id,
    url: w.url,
    events: w.events,
    format: w.format as WebhookFormat,
    description: w.description,
    enabled: w.enabled,
    disabledReason: w.disabledReason,
    failingSince: w.failingSince?.toISOString() ?? null,
    rotatingUntil:
      w.previousSecret && w.previousSecretUntil && w.previousSecretUntil > now
        ? w.previousSecretUntil.toISOString()
        : null,
    createdBy: w.createdBy,
    createdAt: w.createdAt.toISOString(),
    lastDelivery: last
      ? {
          state: last.state,
          at: (last.tries[0]?.at ?? last.createdAt).toISOString(),
          statusCode: last.tries[0]?.statusCode ?? null,
        }
      : null,
  };
}

const withLast = {
  deliveries: {
    orderBy: { createdAt: "desc" as const },
    take: 1,
    select: {
      state: true,
      createdAt: true,
      tries: { orderBy: { id: "desc" as const }, take: 1, select: { statusCode: true, at: true } },
    },
  },
};

async function checkUrl(url: string): Promise<void> {
  const problem = await urlProblem(url);
  if (problem) throw new Invalid(problem, [{ path: "url", message: problem }]);
}

async function endpoint(db: Tx, id: string): Promise<WebhookEndpoint> {
  const w = await db.webhookEndpoint.findUnique({ where: { id } });
  if (!w) throw new NotFound(`No webhook ${id}.`);
  return w;
}

export async function createWebhook(
  db: Db,
  actor: Actor,
  input: CreateWebhookInput,
): Promise<WebhookDto & { secret: string }> {
  requireAdmin(actor, "add webhooks");
  await checkUrl(input.url);
  const secret = newSecret();
  return db.$transaction(async (tx) => {
    const w = await tx.webhookEndpoint.create({
      data: {
        id: `wh_${randomUUID().replace(/-/g, "").slice(0, 20)}`,
        url: input.url,
        events: input.events,
        format: input.format,
        description: input.description ?? "",
        secret,
        createdBy: actor.label,
      },
    });
    // The log keeps the host only: a Slack or Discord webhook URL is itself a secret, and members read the log.
    await recordEvent(tx, {
      actor,
      action: "webhook.created",
      subject: `webhook:${w.id}`,
      details: { host: new URL(w.url).host, events: w.events, format: w.format },
    });
    return { ...toDto(w), secret };
  });
}

export async function listWebhooks(db: Tx, actor: Actor): Promise<WebhookDto[]> {
  requireAdmin(actor, "see webhooks");
  const rows = await db.webhookEndpoint.findMany({ orderBy: { createdAt: "asc" }, include: withLast });
  return rows.map((w) => toDto(w));
}

export async function updateWebhook(db: Db, actor: Actor, id: string, input: UpdateWebhookInput): Promise<WebhookDto> {
  requireAdmin(actor, "change webhooks");
  if (input.url !== undefined) await checkUrl(input.url);
  return db.$transaction(async (tx) => {
    const before = await endpoint(tx, id);
    const enabling = input.enabled === true && !before.enabled;
    if (enabling)
      // What waited longer than a delivery is retried is not sent now, days late: it is given up.
      await tx.webhookDelivery.updateMany({
        where: { endpointId: id, state: "pending", createdAt: { lt: new Date(Date.now() - RETRY_FOR_MS) } },
        data: { state: "failed", nextAttemptAt: null },
      });
    const w = await tx.webhookEndpoint.update({
      where: { id },
      data: {
        ...input,
        ...(enabling ? { disabledReason: null, failingSince: null, lastFailureAt: null } : {}),
        ...(input.enabled === false && before.enabled ? { disabledReason: `Disabled by ${actor.label}.` } : {}),
      },
      include: withLast,
    });
    await recordEvent(tx, {
      actor,
      action: "webhook.updated",
      subject: `webhook:${id}`,
      details: { changed: Object.keys(input) },
    });
    return toDto(w);
  });
}

export async function deleteWebhook(db: Db, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor, "delete webhooks");
  await db.$transaction(async (tx) => {
    const w = await endpoint(tx, id);
    await tx.webhookEndpoint.delete({ where: { id } });
    await recordEvent(tx, {
      actor,
      action: "webhook.deleted",
      subject: `webhook:${id}`,
      details: { host: new URL(w.url).host },
    });
  });
}

export async function rotateSecret(db: Db, actor: Actor, id: string): Promise<WebhookDto & { secret: string }> {
  requireAdmin(actor, "rotate webhook secrets");
  const secret = newSecret();
  return db.$transaction(async (tx) => {
    const before = await endpoint(tx, id);
    const w = await tx.webhookEndpoint.update({
      where: { id },
      data: { secret, previousSecret: before.secret, previousSecretUntil: new Date(Date.now() + ROTATION_MS) },
      include: withLast,
    });
    await recordEvent(tx, { actor, action: "webhook.secret_rotated", subject: `webhook:${id}`, details: {} });
    return { ...toDto(w), secret };
  });
}

function toDeliveryDto(d: WebhookDelivery & { tries: WebhookAttempt[] }): DeliveryDto {
  return {
    id: d.id,
    eventType: d.eventType,
    eventId: d.eventId === null ? null : Number(d.eventId),
    state: d.state as DeliveryDto["state"],
    attempts: d.tries.map((a) => ({
      at: a.at.toISOString(),
      statusCode: a.statusCode,
      latencyMs: a.latencyMs,
      error: a.error,
      responseExcerpt: a.responseExcerpt,
      manual: a.manual,
    })),
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    body: d.body,
  };
}

const tries = { tries: { orderBy: { id: "asc" as const } } };

/** A test message to the endpoint, sent now (and retried like any delivery if it fails). */
export async function testWebhook(db: Db, actor: Actor, id: string): Promise<DeliveryDto> {
  requireAdmin(actor, "test webhooks");
  const w = await endpoint(db, id);
  const d = await db.webhookDelivery.create({
    data: {
      id: newDeliveryId(),
      endpointId: id,
      eventType: "webhook.test",
      body: formatBody(w.format as WebhookFormat, testMessage()),
      nextAttemptAt: new Date(Date.now() + 60_000),
      lockedUntil: new Date(Date.now() + 60_000),
    },
  });
  await attempt(db, d.id, false);
  return toDeliveryDto(await db.webhookDelivery.findUniqueOrThrow({ where: { id: d.id }, include: tries }));
}

export async function listDeliveries(
  db: Tx,
  actor: Actor,
  id: string,
  query: { limit: number; state?: DeliveryDto["state"] },
): Promise<DeliveryDto[]> {
  requireAdmin(actor, "see webhook deliveries");
  await endpoint(db, id);
  const rows = await db.webhookDelivery.findMany({
    where: { endpointId: id, ...(query.state ? { state: query.state } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit,
    include: tries,
  });
  return rows.map(toDeliveryDto);
}

/** Sends a delivery once more, now, with its own webhook-id and body (a replay by hand). */
export async function retryDelivery(db: Db, actor: Actor, id: string, deliveryId: string): Promise<DeliveryDto> {
  requireAdmin(actor, "replay webhook deliveries");
  const d = await db.webhookDelivery.findFirst({ where: { id: deliveryId, endpointId: id } });
  if (!d) throw new NotFound(`No delivery ${deliveryId} for webhook ${id}.`);
  if (!(await leaseForRetry(db, id, deliveryId)))
    throw new Conflict(
      `Delivery ${deliveryId} is being sent right now; replay it once this attempt ends (within a minute).`,
    );
  await attempt(db, deliveryId, true);
  return toDeliveryDto(await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId }, include: tries }));
}
