// What people can be told of, and each event as a message: what happened, why, who must act, and a link to the card.
// One message feeds every channel — a Standard Webhooks body, a Slack or Discord post, a mail — so they never
// disagree. Built from the audit event the change wrote, with the subject's current title or question.
import type { Tx } from "@/lib/db/client";
import { setting } from "@/lib/config/settings";
import { sentenceText } from "@/lib/audit/sentence";
import type { AuditAction } from "@/lib/audit/actions";

export { EVENT_LABELS, isNotifyEvent, NOTIFY_EVENTS, type NotifyEvent } from "./vocabulary";

/** The app's address for links in messages. */
export function publicUrl(): string {
  return (setting("FED_PUBLIC_URL") ?? setting("NEXTAUTH_URL") ?? "http://localhost:3000").replace(/\/+$/, "");
}

export interface AuditRow {
  id: bigint | number;
  at: Date;
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
}

export interface Message {
  type: string;
  /** The audit event's id (0 for a test message). */
  eventId: number;
  at: string;
  /** One line: "Needs you: Which language for the CLI?" */
  title: string;
  /** What happened, as the log says it. */
  text: string;
  /** Why, when there is a reason (a tie, the error). */
  why: string | null;
  /** Who must act, when someone must. */
  action: string | null;
  url: string;
  /** The event's facts for machines (the Standard Webhooks body's `data`). */
  data: Record<string, unknown>;
}

const str = (v: unknown) => (typeof v === "string" && v ? v : null);
const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const idOf = (subject: string) => subject.slice(subject.indexOf(":") + 1);

/** The message for one audit event; reads the subject's title or question (it may have been deleted since). */
export async function messageOf(db: Tx, e: AuditRow): Promise<Message> {
  const d = e.details ?? {};
  const base = publicUrl();
  const id = idOf(e.subject);
  const event = {
    id: Number(e.id),
    at: e.at.toISOString(),
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    details: d,
  };
  const m: Message = {
    type: e.action,
    eventId: Number(e.id),
    at: e.at.toISOString(),
    title: sentenceText(event),
    text: sentenceText(event),
    why: null,
    action: null,
    url: base,
    data: { ...d, id, subject: e.subject, actor: e.actor },
  };
  switch (e.action as AuditAction) {
    case "escalation.opened":
    case "escalation.resolved": {
      const esc = await db.escalation.findUnique({ where: { id } });
      const kind = esc?.kind ?? str(d.kind) ?? "task";
      const subjectId = esc?.subjectId ?? str(d.subjectId) ?? "";
      const what = await subjectTitle(db, kind, subjectId);
      m.url = `${base}/escalations#${id}`;
      m.data = { ...m.data, kind, subjectId, title: what, reason: esc?.reason ?? str(d.reason) };
      if (e.action === "escalation.opened") {
        m.title = `Needs you: ${what ?? subjectId}`;
        m.text = `${e.actor === "system" ? "The system" : e.actor} asked a person to decide about the ${kind} ${subjectId}${what ? ` (“${clip(what, 120)}”)` : ""}.`;
        m.why = esc?.reason ?? str(d.reason);
        m.action = "An admin must decide — open the card.";
      } else {
        m.title = `Decided: ${what ?? subjectId}`;
        m.data = { ...m.data, resolution: esc?.resolution ?? null, resolvedBy: esc?.resolvedBy ?? e.actor };
      }
      break;
    }
    case "vote.decided":
    case "vote.escalated": {
      const vote = await db.vote.findUnique({ where: { id }, select: { question: true } });
      const question = vote?.question ?? str(d.question) ?? id;
      m.url = `${base}/votes/${id}`;
      m.data = { ...m.data, question };
      if (e.action === "vote.decided") {
        m.title = `Vote decided: ${question}${str(d.winner) ? ` → ${d.winner}` : ""}`;
      } else {
        m.title = `Vote needs a person: ${question}`;
        m.why = reasonText(str(d.reason), d);
        m.action = "An admin must choose — the escalation is in the inbox.";
      }
      break;
    }
    case "task.completed":
    case "task.failed": {
      const task = await db.task.findUnique({ where: { id }, select: { title: true, type: true, assignee: true } });
      m.url = `${base}/queue/${id}`;
      m.data = { ...m.data, title: task?.title ?? null, type: task?.type ?? null, assignee: task?.assignee ?? null };
      const title = task?.title ?? id;
      if (e.action === "task.completed") m.title = `Completed: ${title}`;
      else {
        m.title = `Failed: ${title}`;
        m.why = str(d.error) ? clip(String(d.error)) : null;
      }
      break;
    }
    case "agent.status_changed": {
      m.url = `${base}/agents/${id}`;
      const s = d.status as { from?: unknown; to?: unknown } | undefined;
      m.title = `${id} is ${String(s?.to ?? "changed").replace(/_/g, " ")}`;
      m.data = { ...m.data, agent: id, from: s?.from ?? null, to: s?.to ?? null };
      break;
    }
    case "kpi.status_changed": {
      m.url = `${base}/analytics`;
      m.title = `${str(d.label) ?? id}: ${str(d.from) ?? "?"} → ${str(d.to) ?? "?"}`;
      m.text = `The phase KPI ${str(d.label) ?? id} moved from ${d.from} to ${d.to} (value ${d.value}, target ${d.target}).`;
      break;
    }
  }
  return m;
}

async function subjectTitle(db: Tx, kind: string, subjectId: string): Promise<string | null> {
  if (!subjectId) return null;
  if (kind === "vote")
    return (await db.vote.findUnique({ where: { id: subjectId }, select: { question: true } }))?.question ?? null;
  if (kind === "task")
    return (await db.task.findUnique({ where: { id: subjectId }, select: { title: true } }))?.title ?? null;
  return null;
}

function reasonText(reason: string | null, d: Record<string, unknown>): string | null {
  switch (reason) {
    case "tie":
      return "The agents tied.";
    case "low_confidence":
      return `No option reached the confidence threshold${typeof d.decisionConfidence === "number" ? ` (best ${d.decisionConfidence.toFixed(2)})` : ""}.`;
    case "no_ballots":
      return "Nobody voted before the vote closed.";
    case "no_quorum":
      return "Too few ballots before the vote closed.";
    default:
      return reason ? reason.replace(/_/g, " ") : null;
  }
}

/** A test message for an endpoint (POST /webhooks/{id}/test). */
export function testMessage(): Message {
  const url = publicUrl();
  return {
    type: "webhook.test",
    eventId: 0,
    at: new Date().toISOString(),
    title: "Test message from Federation",
    text: "This endpoint receives Federation's webhooks.",
    why: null,
    action: null,
    url: `${url}/webhooks`,
    data: { test: true },
  };
}

/** The message as plain text: a mail's body, a digest's entry. */
export function plainText(m: Message): string {
  return [m.title, "", m.text, m.why ? `Why: ${m.why}` : null, m.action, "", m.url]
    .filter((l) => l !== null)
    .join("\n");
}
