// Webhook endpoints, deliveries and attempts as the API takes and gives them (the contract's Webhooks section).
import { z } from "zod";
import { NOTIFY_EVENTS } from "@/lib/notify/vocabulary";
import { FORMATS } from "./format";
import { isoTime } from "@/lib/http/time";

const events = z
  .array(z.enum(NOTIFY_EVENTS, { error: `Events are: ${NOTIFY_EVENTS.join(", ")}.` }))
  .min(1, "Choose at least one event.")
  .max(50, "At most 50 events (each once is enough).")
  .transform((xs) => [...new Set(xs)]);
const url = z.string().trim().min(1, "Enter the receiver's URL.").max(2000, "At most 2000 characters.");

export const createWebhookInput = z.strictObject({
  url,
  events,
  format: z.enum(FORMATS).default("standard"),
  description: z.string().trim().max(500).optional(),
});
export type CreateWebhookInput = z.infer<typeof createWebhookInput>;

export const updateWebhookInput = z.strictObject({
  url: url.optional(),
  events: events.optional(),
  format: z.enum(FORMATS).optional(),
  description: z.string().trim().max(500).optional(),
  enabled: z.boolean().optional(),
});
export type UpdateWebhookInput = z.infer<typeof updateWebhookInput>;

export const webhookDto = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    format: z.enum(FORMATS),
    description: z.string(),
    enabled: z.boolean(),
    disabledReason: z.string().nullable(),
    failingSince: isoTime.nullable(),
    rotatingUntil: isoTime.nullable().describe("While set, deliveries carry the previous secret's signature too."),
    createdBy: z.string(),
    createdAt: isoTime,
    lastDelivery: z
      .object({ state: z.string(), at: isoTime, statusCode: z.number().nullable() })
      .nullable()
      .describe("The latest delivery's outcome."),
  })
  .meta({ id: "Webhook" });
export type WebhookDto = z.infer<typeof webhookDto>;

export const webhookWithSecretDto = webhookDto
  .extend({ secret: z.string().describe("whsec_…: shown once; verify each delivery's webhook-signature with it.") })
  .meta({ id: "WebhookWithSecret" });

export const attemptDto = z
  .object({
    at: isoTime,
    statusCode: z.number().nullable(),
    latencyMs: z.number(),
    error: z.string().nullable(),
    responseExcerpt: z.string(),
    manual: z.boolean(),
  })
  .meta({ id: "WebhookAttempt" });

export const deliveryDto = z
  .object({
    id: z.string().describe("The webhook-id: the same for every attempt of this message."),
    eventType: z.string(),
    eventId: z.number().nullable(),
    state: z.enum(["pending", "delivered", "failed"]),
    attempts: z.array(attemptDto),
    nextAttemptAt: isoTime.nullable(),
    createdAt: isoTime,
    deliveredAt: isoTime.nullable(),
    body: z.string().describe("The exact body sent (and signed)."),
  })
  .meta({ id: "WebhookDelivery" });
export type DeliveryDto = z.infer<typeof deliveryDto>;

export const deliveriesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  state: z.enum(["pending", "delivered", "failed"]).optional(),
});
