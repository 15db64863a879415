// An audit event as a sentence a person reads, with links: "claude completed task-… in 12 min: Fixed the parser",
// "Rule Research → implementation created task-…". Pure: the log page, task history and agent pages use it.
import type { EventDto } from "./schema";
import type { AuditAction } from "./actions";

export type Part = string | { text: string; href: string };
export interface Names {
  /** Schedule rule names by id, so a rule reads by its name, not `rule-…`. */
  rules?: ReadonlyMap<string, string>;
}

const str = (v: unknown): string | null => (typeof v === "string" && v ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** The link for a subject or actor (`task:…`, `agent:…`, `vote:…`, `rule:…`, a user's email, `system`). */
export function entity(ref: string, names: Names = {}): Part {
  const colon = ref.indexOf(":");
  const kind = colon > 0 ? ref.slice(0, colon) : "";
  const id = colon > 0 ? ref.slice(colon + 1) : ref;
  switch (kind) {
    case "task":
      return { text: id, href: `/queue/${id}` };
    case "agent":
      return { text: id, href: `/agents/${id}` };
    case "vote":
      return { text: "a vote", href: `/votes/${id}` };
    case "escalation":
      return { text: "an escalation", href: "/escalations" };
    case "rule":
      return { text: names.rules?.has(id) ? `rule ${names.rules.get(id)}` : "an auto-scheduling rule", href: "/rules" };
    case "user":
      return id;
    case "webhook":
      return { text: "a webhook", href: "/webhooks" };
    case "kpi":
      return { text: "a phase KPI", href: "/analytics" };
    default:
      if (ref === "system") return "The system";
      if (ref === "federation") return "the federation";
      // An agent acting under its own token is recorded by its name.
      return ref.includes("@") ? ref : { text: ref, href: `/agents/${ref}` };
  }
}

const minutes = (m: number | null) =>
  m === null ? "" : m >= 90 ? ` in ${(m / 60).toFixed(1)} h` : ` in ${Math.round(m)} min`;
const quoted = (s: string | null) => (s ? `: “${s.length > 160 ? `${s.slice(0, 157)}…` : s}”` : "");

export function sentence(e: EventDto, names: Names = {}): Part[] {
  const parts = compose(e, names).filter((p) => p !== "");
  // A quotation that ends its own sentence ("…Done.”) takes no second full stop.
  const last = parts.length - 1;
  const before = parts[last - 1];
  if (parts[last] === "." && typeof before === "string" && /[.!?…]”$/.test(before)) parts.pop();
  return parts;
}

function compose(e: EventDto, names: Names): Part[] {
  const d = e.details as Record<string, unknown>;
  const who = entity(e.actor, names);
  const what = entity(e.subject, names);
  const agent = str(d.agent) ? entity(`agent:${d.agent}`) : null;
  const attempts = num(d.attempts);
  const max = num(d.maxAttempts);
  const tail = (s: string) => (s ? [s] : []);
  // A case naming an action the log never writes does not compile.
  switch (e.action as AuditAction) {
    case "task.created":
      return [
        who,
        " created ",
        what,
        ...tail(str(d.title) ? ` “${d.title}”` : ""),
        ...(str(d.assignee) ? [" for ", entity(`agent:${d.assignee}`)] : [" (no agent yet)"]),
        ...tail(str(d.priority) && d.priority !== "normal" ? `, ${d.priority} priority` : ""),
        ".",
      ];
    case "task.claimed":
      return [
        agent ?? who,
        " claimed ",
        what,
        ...tail(num(d.attempt) ? ` (attempt ${d.attempt})` : ""),
        ...(str(d.fallbackFor) ? [" as fallback for ", entity(`agent:${d.fallbackFor}`)] : []),
        ".",
      ];
    case "task.completed":
      return [agent ?? who, " completed ", what, minutes(num(d.durationMinutes)), quoted(str(d.summary)), "."];
    case "task.retry_scheduled":
      return [
        agent ?? who,
        " failed ",
        what,
        `${attempts !== null ? ` (attempt ${attempts})` : ""}; it goes back to Pending for another try`,
        quoted(str(d.summary)),
        ".",
      ];
    case "task.failed":
      return [
        agent ? agent : who,
        " failed ",
        what,
        attempts !== null ? ` after ${attempts}${max !== null ? ` of ${max}` : ""} attempts` : "",
        str(d.reason) ? ` (${d.reason})` : "",
        quoted(str(d.summary)),
        ".",
      ];
    case "task.released":
      return [agent ?? who, " gave ", what, " back to Pending", str(d.reason) ? ` (${d.reason})` : "", "."];
    case "task.lease_expired":
      return [
        "The lease of ",
        ...(agent ? [agent, " on "] : []),
        what,
        " expired",
        attempts !== null && max !== null ? ` after attempt ${attempts} of ${max}` : "",
        ".",
      ];
    case "task.bulk": {
      const verb =
        { retry: "retried", cancel: "cancelled", reassign: "reassigned" }[String(d.action)] ?? String(d.action);
      const n = typeof d.done === "number" ? d.done : 0;
      return [
        who,
        ` ${verb} ${n} task${n === 1 ? "" : "s"} in bulk`,
        ...(str(d.assignee) ? [" to ", entity(`agent:${d.assignee}`)] : []),
        typeof d.skipped === "number" && d.skipped ? `, skipped ${d.skipped}` : "",
        str(d.stoppedAt) ? `, and stopped at ${d.stoppedAt}: ${d.error}` : "",
        quoted(str(d.note)),
        ".",
      ];
    }
    case "task.cancelled":
      return [who, " cancelled ", what, str(d.reason) ? ` (${d.reason})` : "", "."];
    case "task.retried":
      return [
        who,
        " retried ",
        what,
        str(d.from) ? `, which had ${d.from === "failed" ? "failed" : "been cancelled"}` : "",
        quoted(str(d.note)),
        ".",
      ];
    case "task.reassigned":
      return [
        who,
        " reassigned ",
        what,
        ...(str(d.from) ? [" from ", entity(`agent:${d.from}`)] : []),
        ...(str(d.to) ? [" to ", entity(`agent:${d.to}`)] : []),
        quoted(str(d.note)),
        ".",
      ];
    case "task.priority_raised":
      return [
        "The priority of ",
        what,
        ` rose from ${d.from} to ${d.to}`,
        ...(str(d.because) ? [" because ", entity(`task:${d.because}`), " depends on it"] : []),
        ".",
      ];
    case "task.dependencies_added":
      return [
        who,
        " made ",
        what,
        " wait for ",
        ...(Array.isArray(d.dependsOn) ? d.dependsOn.flatMap((id, i) => [i ? ", " : "", entity(`task:${id}`)]) : []),
        ".",
      ];
    case "schedule.follow_ups_created":
      return [
        "Auto-scheduling queued ",
        ...(Array.isArray(d.followUps)
          ? d.followUps.flatMap((id, i) => [i ? ", " : "", entity(`task:${id}`)])
          : ["follow-ups"]),
        " after ",
        what,
        ".",
      ];
    case "schedule.chain_stopped":
      return [
        entity(`rule:${d.ruleId}`, names),
        ` stopped at chain depth ${d.maxChainDepth}: it did not create “${d.wouldCreate}” after `,
        what,
        ".",
      ];
    case "escalation.opened":
      return [
        who,
        " asked a person to decide",
        ...(str(d.subjectId) ? [" about ", entity(`${d.kind === "vote" ? "vote" : "task"}:${d.subjectId}`)] : []),
        str(d.reason) ? `: ${d.reason}` : "",
        ...(str(d.reason)?.endsWith(".") ? [] : ["."]),
      ];
    case "escalation.resolved": {
      const how =
        d.action === "retry"
          ? "by retrying it"
          : d.action === "cancel"
            ? "by cancelling it"
            : d.action === "dismiss"
              ? "by dismissing it"
              : str(d.assignee)
                ? `by giving it to ${d.assignee}`
                : str(d.option)
                  ? `by choosing ${d.option}`
                  : "";
      return [
        who,
        " settled the escalation",
        ...(str(d.subjectId)
          ? [" about ", entity(`${String(d.subjectId).startsWith("vote-") ? "vote" : "task"}:${d.subjectId}`)]
          : []),
        how ? ` ${how}` : "",
        quoted(str(d.note)),
        ".",
      ];
    }
    case "vote.created":
      return [who, " opened ", what, str(d.question) ? `: “${d.question}”` : "", "."];
    case "vote.ballot_cast":
      return [
        str(d.voter) ? entity(`agent:${d.voter}`) : who,
        ` voted ${d.option}`,
        num(d.confidence) !== null ? ` with confidence ${(d.confidence as number).toFixed(2)}` : "",
        " in ",
        what,
        d.replaced ? " (replacing an earlier ballot)" : "",
        ".",
      ];
    case "vote.decided":
      return [what, " was decided", str(d.winner) ? `: ${d.winner}` : "", str(d.by) ? ` by ${d.by}` : "", "."].map(
        (p, i) => (i === 0 && typeof p !== "string" ? { ...p, text: "A vote" } : p),
      );
    case "vote.escalated":
      return [
        { ...(what as { text: string; href: string }), text: "A vote" },
        " went to a person",
        str(d.reason) ? ` (${String(d.reason).replace(/_/g, " ")})` : "",
        ".",
      ];
    case "vote.reopened":
      return [who, " reopened ", what, "."];
    case "agent.created":
      return [who, " added the agent ", what, "."];
    case "agent.status_changed": {
      const s = d.status as { from?: unknown; to?: unknown } | undefined;
      return [
        who,
        " set ",
        what,
        s?.to ? ` to ${String(s.to).replace(/_/g, " ")}` : "",
        s?.from ? ` (was ${String(s.from).replace(/_/g, " ")})` : "",
        ".",
      ];
    }
    case "agent.token_issued":
      return [who, " issued a token for ", what, str(d.prefix) ? ` (${d.prefix}…)` : "", "."];
    case "agent.token_revoked":
      return [who, " revoked a token of ", what, str(d.prefix) ? ` (${d.prefix}…)` : "", "."];
    case "rule.created":
      return [who, " created ", str(d.name) ? { text: `rule ${d.name}`, href: "/rules" } : what, "."];
    case "rule.deleted":
      return [who, " deleted ", str(d.name) ? `rule ${d.name}` : "a rule", "."];
    case "federation.auto_scheduling_on":
      return [who, " turned auto-scheduling on."];
    case "federation.auto_scheduling_off":
      return [who, " turned auto-scheduling off."];
    case "user.signed_in":
      return [who, " signed in."];
    case "kpi.status_changed":
      return [
        { text: str(d.label) ?? "A phase KPI", href: "/analytics" },
        ` moved from ${d.from} to ${d.to}`,
        num(d.value) !== null && num(d.target) !== null ? ` (${d.value} against a target of ${d.target})` : "",
        ".",
      ];
    case "webhook.created":
      return [who, " added ", what, str(d.host) ? ` to ${d.host}` : "", "."];
    case "webhook.disabled":
      return [what, str(d.host) ? ` to ${d.host}` : "", " was disabled", str(d.reason) ? `: ${d.reason}` : "."];
    default: {
      // Anything else still reads as a line: who, what happened (in words), to what.
      const verb = e.action.slice(e.action.indexOf(".") + 1).replace(/_/g, " ");
      return [who, ` ${verb} `, what, "."];
    }
  }
}

/** The sentence as plain text (FEDERATION_LOG.md, titles, tests). */
export const sentenceText = (e: EventDto, names?: Names) =>
  sentence(e, names)
    .map((p) => (typeof p === "string" ? p : p.text))
    .join("");
