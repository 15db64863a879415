// Escalation decisions as sentences people read ("Assigned to kimi-ide by reuben — “kimi is rate limited”"),
// never JSON. Shared by the inbox, the log and the CLI.
import type { EscalationDto } from "./schema";

const quoted = (note: unknown) => (typeof note === "string" && note.trim() ? ` — “${note.trim()}”` : "");

export function describeResolution(e: Pick<EscalationDto, "state" | "resolution" | "resolvedBy">): string {
  if (e.state !== "resolved" || !e.resolution) return "Waiting for a decision.";
  const r = e.resolution as Record<string, unknown>;
  const by = e.resolvedBy ? ` by ${e.resolvedBy}` : "";
  const note = quoted(r.note);
  switch (r.action) {
    case "reassign":
      return `Assigned to ${r.assignee}${by}${note}`;
    case "retry":
      return `Retried${by}${note}`;
    case "cancel":
      return `Cancelled${by}${note}`;
    case "decide":
      return `Decided “${r.option}”${by}${note}`;
    case "reopen":
      return `Vote reopened${by}${note}`;
    case "dismiss":
      return `Dismissed${by}, left as it was${note}`;
    default:
      return `Resolved${by}${note}`;
  }
}

export const KIND_LABEL: Record<EscalationDto["kind"], string> = { vote: "Vote", task: "Task", routing: "Routing" };
