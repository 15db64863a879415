// The audit log's vocabulary: every action a writer records and a reader looks for, once. Writers (recordEvent, and
// the SQL statements that insert events) and readers (the sentences, the KPIs, notifications, the stream's filters)
// name actions through this list, so a renamed or misspelt action fails to compile instead of silently matching
// nothing.
export const AUDIT_ACTIONS = [
  "agent.created",
  "agent.updated",
  "agent.status_changed",
  "agent.token_issued",
  "agent.token_revoked",
  "task.created",
  "task.priority_raised",
  "task.dependencies_added",
  "task.claimed",
  "task.released",
  "task.lease_expired",
  "task.completed",
  "task.failed",
  "task.retry_scheduled",
  "task.retried",
  "task.cancelled",
  "task.reassigned",
  "task.bulk",
  "outcome.recorded",
  "escalation.opened",
  "escalation.resolved",
  "vote.created",
  "vote.ballot_cast",
  "vote.decided",
  "vote.escalated",
  "vote.reopened",
  "routing.rule_created",
  "routing.rule_updated",
  "routing.rule_deleted",
  "routing.trained",
  "optimizer.applied",
  "optimizer.undone",
  "rule.created",
  "rule.updated",
  "rule.enabled",
  "rule.disabled",
  "rule.deleted",
  "schedule.follow_ups_created",
  "schedule.chain_stopped",
  "federation.auto_scheduling_on",
  "federation.auto_scheduling_off",
  "user.created",
  "user.updated",
  "user.role_changed",
  "user.password_changed",
  "user.password_reset",
  "user.signed_in",
  "user.token_issued",
  "user.token_revoked",
  "webhook.created",
  "webhook.updated",
  "webhook.deleted",
  "webhook.secret_rotated",
  "webhook.disabled",
  "kpi.status_changed",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** An action as a SQL string literal, for the statements that write or look for events in SQL. */
export const actionSql = (action: AuditAction) => `'${action}'`;

/** What an action is about: `task` for `task.claimed`. */
export type AuditDomain = AuditAction extends `${infer D}.${string}` ? D : never;

/** Whether an event type (an action as the change stream carries it) is one of `domain`'s actions. */
export const inDomain = (type: string, ...domains: AuditDomain[]) => domains.some((d) => type.startsWith(`${d}.`));
