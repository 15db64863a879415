// The events people and webhooks can be told of, with their labels; plain data, so pages import it too.
import type { AuditAction } from "@/lib/audit/actions";

/**
 * The events a webhook or a person can subscribe to: each is an audit action. The trigger that fills the outbox
 * (prisma/migrations/20261207000000_notifications) lists the same actions; a test holds the two equal.
 */
export const NOTIFY_EVENTS = [
  "escalation.opened",
  "escalation.resolved",
  "vote.decided",
  "vote.escalated",
  "task.failed",
  "task.completed",
  "agent.status_changed",
  "kpi.status_changed",
] as const satisfies readonly AuditAction[];
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

export const EVENT_LABELS: Record<NotifyEvent, string> = {
  "escalation.opened": "An escalation opens (a person must decide)",
  "escalation.resolved": "An escalation is decided",
  "vote.decided": "A vote is decided",
  "vote.escalated": "A vote goes to a person",
  "task.failed": "A task fails",
  "task.completed": "A task completes",
  "agent.status_changed": "An agent's status changes",
  "kpi.status_changed": "A phase KPI moves between ok, warn and bad",
};

export const isNotifyEvent = (s: string): s is NotifyEvent => (NOTIFY_EVENTS as readonly string[]).includes(s);
