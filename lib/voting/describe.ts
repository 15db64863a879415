// A vote's outcome as a sentence for people: who won and why, or why a person must decide.
import type { VoteDto } from "./schema";

const REASON: Record<string, string> = {
  unanimous: "every ballot chose it",
  majority: "the highest score, confidently",
  tie: "the two highest scores are equal",
  low_confidence: "its voters were not confident enough",
  no_ballots: "nobody voted",
  no_quorum: "too few ballots for the quorum",
};

export function describeOutcome(vote: Pick<VoteDto, "status" | "result" | "decidedBy" | "threshold">): string {
  const r = vote.result;
  if (vote.status === "open" || !r) return "Open";
  if (vote.status === "decided" && vote.decidedBy) {
    return `Decided “${r.winner}” by ${vote.decidedBy} (the agents escalated: ${REASON[r.reason] ?? r.reason})${r.note ? ` — “${r.note}”` : ""}`;
  }
  if (vote.status === "decided")
    return `Decided “${r.winner}”: ${REASON[r.reason]} (confidence ${r.decisionConfidence.toFixed(2)})`;
  return `Escalated to a person: ${REASON[r.reason] ?? r.reason}${r.leading ? ` (${r.leading} leads)` : ""}`;
}
