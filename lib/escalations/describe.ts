// Escalation decisions as sentences people read ("Assigned to kimi-ide by reuben — “kimi is rate limited”"),
// never JSON. Shared by the inbox, the log and the CLI.
import type { EscalationDto } from "./schema";

const quoted = (note: unknown) => (typeof note === "string" && note.trim() ? ` — “${note.trim()}”` : "");

/** The decision alone, without who or the note: "Assigned to kimi-ide", "Decided “python”". */
export function describeDecision(e: Pick<EscalationDto, "resolution">): string {
  const r = (e.resolution ?? {}) as Record<string, unknown>;
  switch (r.action) {
    case "reassign":
      return `Assigned to ${r.assignee}`;
    case "retry":
      return "Retried";
    case "cancel":
      return "Cancelled";
    case "decide":
      return `Decided “${r.option}”`;
    case "reopen":
      return "Vote reopened";
    case "dismiss":
      return "Dismissed, left as it was";
    default:
      return "Resolved";
  }
}

export function describeResolution(e: Pick<EscalationDto, "state" | "resolution" | "resolvedBy">): string {
  if (e.state !== "resolved" || !e.resolution) return "Waiting for a decision.";
  const r = e.resolution as Record<string, unknown>;
  const by = e.resolvedBy ? ` by ${e.resolvedBy}` : "";
  const [verb, rest = ""] = describeDecision(e).split(", ");
  return `${verb}${by}${rest && `, ${rest}`}${quoted(r.note)}`;
}

export const KIND_LABEL: Record<EscalationDto["kind"], string> = { vote: "Vote", task: "Task", routing: "Routing" };
