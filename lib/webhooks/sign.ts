// Standard Webhooks 1.0 signing: `webhook-signature` is `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, keyed by
// the base64 part of the `whsec_` secret; several signatures are separated by spaces (both keys while one rotates).
import { createHmac, randomBytes } from "node:crypto";

export const newSecret = () => `whsec_${randomBytes(24).toString("base64")}`;

export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

/** The three headers of one attempt; `secrets` are the current key and, during a rotation, the previous one. */
export function webhookHeaders(secrets: string[], id: string, body: string, now = new Date()): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": secrets.map((s) => sign(s, id, timestamp, body)).join(" "),
  };
}
