// Mail over SMTP (FED_SMTP_URL, nodemailer): each person chooses which events reach them, at once or in an hourly
// digest; admins get escalations at once unless they choose otherwise. Mails wait in notification_mails until sent,
// so a mail server that is down delays them, and a restart loses none.
import { randomUUID } from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";
import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import { setting } from "@/lib/config/settings";
import { NOTIFY_EVENTS, type NotifyEvent } from "./events";

export const MODES = ["immediate", "digest", "off"] as const;
export type Mode = (typeof MODES)[number];

/** A person's choices: one mode per event; an event left out takes the default. */
export const notifyPrefs = z.partialRecord(z.enum(NOTIFY_EVENTS), z.enum(MODES)).meta({ id: "NotifyPrefs" });
export type NotifyPrefs = z.infer<typeof notifyPrefs>;

/** What a person gets when they have not chosen: admins hear of escalations at once; nobody else of anything. */
export function defaultMode(role: string, event: NotifyEvent): Mode {
  return role === "admin" && event === "escalation.opened" ? "immediate" : "off";
}

export function modeOf(role: string, prefs: unknown, event: NotifyEvent): Mode {
  const parsed = notifyPrefs.safeParse(prefs);
  return (parsed.success ? parsed.data[event] : undefined) ?? defaultMode(role, event);
}

/** Every event's mode for a person, defaults filled in. */
export function effectivePrefs(role: string, prefs: unknown): Record<NotifyEvent, Mode> {
  return Object.fromEntries(NOTIFY_EVENTS.map((e) => [e, modeOf(role, prefs, e)])) as Record<NotifyEvent, Mode>;
}

export const mailEnabled = () => Boolean(setting("FED_SMTP_URL"));

let transport: { url: string; t: Transporter } | null = null;
function transporter(): Transporter {
  const url = setting("FED_SMTP_URL")!;
  // A mail server that accepts the connection and then says nothing must not hold the sender: each step is bounded.
  if (transport?.url !== url)
    transport = {
      url,
      t: nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 }),
    };
  return transport.t;
}

/** The top of the next hour: when a digest entry goes. */
export function digestDue(now = new Date()): Date {
  const d = new Date(now);
  d.setUTCMinutes(0, 0, 0);
  d.setUTCHours(d.getUTCHours() + 1);
  return d;
}

interface DueMail {
  id: bigint;
  user_id: string;
  email: string;
  subject: string;
  text: string;
  digest: boolean;
  attempts: number;
}

/** Takes the due mails of active people for a minute under a lease of its own (another instance takes them again if this one dies). */
const TAKE_DUE = `
  WITH due AS MATERIALIZED (
    SELECT m.id FROM notification_mails m JOIN users u ON u.id = m.user_id AND NOT u.disabled
    WHERE m.sent_at IS NULL AND m.failed_at IS NULL AND m.due_at <= now()
      AND (m.locked_until IS NULL OR m.locked_until < now())
    ORDER BY m.due_at, m.id LIMIT $1 FOR UPDATE OF m SKIP LOCKED)
  UPDATE notification_mails m SET locked_until = now() + interval '60 seconds', lease = $2
  FROM due, users u WHERE m.id = due.id AND u.id = m.user_id
  RETURNING m.id, m.user_id, u.email, m.subject, m.text, m.digest, m.attempts`;

/** Renews the lease of a group just before it is sent; false if another sender took it meanwhile (ours ran out). */
const RENEW = `
  UPDATE notification_mails SET locked_until = now() + interval '60 seconds'
  WHERE id = ANY($1::bigint[]) AND lease = $2 AND sent_at IS NULL AND failed_at IS NULL`;

const MAX_ATTEMPTS = 8;

/** Sends the due mails: one per immediate entry, one digest per person. Returns how many mails went. */
export async function sendDueMails(db: Db, limit = 50): Promise<number> {
  if (!mailEnabled()) return 0;
  const lease = randomUUID();
  const due = await db.$queryRawUnsafe<DueMail[]>(TAKE_DUE, limit, lease);
  if (!due.length) return 0;
  const groups: DueMail[][] = [];
  const digests = new Map<string, DueMail[]>();
  for (const m of due) {
    if (!m.digest) groups.push([m]);
    else digests.set(m.user_id, [...(digests.get(m.user_id) ?? []), m]);
  }
  groups.push(...digests.values());
  let sent = 0;
  const from = setting("FED_MAIL_FROM") ?? "Federation <federation@localhost>";
  for (const group of groups) {
    const first = group[0]!;
    const digest = first.digest;
    const subject = digest
      ? `Federation: ${group.length} update${group.length === 1 ? "" : "s"} this hour`
      : first.subject;
    const text = digest ? group.map((m) => m.text).join("\n\n———\n\n") : first.text;
    const ids = group.map((m) => m.id);
    // Slow sends before this one may have outlived the lease: a group another sender holds now is its to send.
    if ((await db.$executeRawUnsafe(RENEW, ids, lease)) !== ids.length) continue;
    try {
      await transporter().sendMail({ from, to: first.email, subject, text });
      await db.$executeRaw`
        UPDATE notification_mails SET sent_at = now(), locked_until = NULL, lease = NULL, error = NULL
        WHERE id = ANY(${ids}::bigint[])`;
      sent++;
    } catch (error) {
      const message = (error as Error).message.slice(0, 500);
      // Tried again later (30 s, 1 min, … at most an hour apart); after MAX_ATTEMPTS it is given up, marked failed.
      await db.$executeRaw`
        UPDATE notification_mails SET attempts = attempts + 1, locked_until = NULL, lease = NULL, error = ${message},
          due_at = now() + make_interval(secs => least(3600, 30 * power(2, attempts))),
          failed_at = CASE WHEN attempts + 1 >= ${MAX_ATTEMPTS} THEN now() END
        WHERE id = ANY(${ids}::bigint[])`;
      console.warn(`[notify] a mail to ${first.email} could not be sent: ${message}`);
    }
  }
  return sent;
}

/** Queues the mails an event means for the people who want it (inside the outbox's transaction). */
export async function queueMails(
  tx: Tx,
  people: { id: string; role: string; notify: unknown }[],
  event: NotifyEvent,
  eventId: number,
  subject: string,
  text: string,
  now = new Date(),
): Promise<void> {
  const data = [];
  for (const p of people) {
    const mode = modeOf(p.role, p.notify, event);
    if (mode === "off") continue;
    data.push({
      userId: p.id,
      eventType: event,
      eventId,
      subject,
      text,
      digest: mode === "digest",
      dueAt: mode === "digest" ? digestDue(now) : now,
    });
  }
  if (data.length) await tx.notificationMail.createMany({ data });
}
