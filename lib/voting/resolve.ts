// The contract's vote resolution as a pure function: scores per option, the winner, and why a vote is
// decided or escalated to a person.
export type VoteMethod = "weighted_confidence" | "simple_majority";
export type ResultReason = "unanimous" | "majority" | "tie" | "low_confidence" | "no_ballots" | "no_quorum";

export interface BallotLike {
  voter: string;
  option: string;
  confidence: number;
}

export interface VoteRules {
  options: string[];
  method: VoteMethod;
  threshold: number;
  quorum: number | null;
}

export interface VoteResult {
  status: "decided" | "escalated";
  /** The decided option (decided votes only). */
  winner?: string;
  /** The option ahead when an escalated vote had one: what a person is most likely to accept. */
  leading?: string;
  scores: Record<string, number>;
  decisionConfidence: number;
  reason: ResultReason;
}

const EPSILON = 1e-9;

export function scoreBallots(options: string[], ballots: BallotLike[], method: VoteMethod): Record<string, number> {
  const scores = Object.fromEntries(options.map((o) => [o, 0]));
  for (const b of ballots)
    scores[b.option] = (scores[b.option] ?? 0) + (method === "weighted_confidence" ? b.confidence : 1);
  return scores;
}

/** Resolves a vote at its close. Checks in order: no ballots, no quorum, tie, low confidence. */
export function resolveVote(rules: VoteRules, ballots: BallotLike[]): VoteResult {
  const scores = scoreBallots(rules.options, ballots, rules.method);
  if (!ballots.length) return { status: "escalated", scores, decisionConfidence: 0, reason: "no_ballots" };
  const ranked = Object.entries(scores).sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  const leader = first![0];
  const mine = ballots.filter((b) => b.option === leader);
  const decisionConfidence = mine.length ? mine.reduce((sum, b) => sum + b.confidence, 0) / mine.length : 0;
  const escalate = (reason: ResultReason, leading?: string): VoteResult => ({
    status: "escalated",
    ...(leading ? { leading } : {}),
    scores,
    decisionConfidence,
    reason,
  });
  if (rules.quorum !== null && ballots.length < rules.quorum) return escalate("no_quorum", leader);
  if (second && Math.abs(first![1] - second[1]) < EPSILON) return escalate("tie");
  if (decisionConfidence < rules.threshold - EPSILON) return escalate("low_confidence", leader);
  const unanimous = ballots.every((b) => b.option === leader);
  return {
    status: "decided",
    winner: leader,
    scores,
    decisionConfidence,
    reason: unanimous ? "unanimous" : "majority",
  };
}

const two = (n: number) => n.toFixed(2);

/** Why a vote went to a person, as a sentence for the inbox. */
export function escalationReason(
  vote: Pick<VoteRules, "threshold" | "quorum">,
  result: VoteResult,
  ballots: number,
): string {
  const ranked = Object.entries(result.scores).sort((a, b) => b[1] - a[1]);
  switch (result.reason) {
    case "tie": {
      const top = ranked.filter(([, s]) => Math.abs(s - ranked[0]![1]) < 1e-9).map(([o]) => o);
      return `Tie between ${top.join(" and ")} (${two(ranked[0]![1])} each).`;
    }
    case "low_confidence":
      return `Low confidence: ${result.leading} leads, but its voters' mean confidence ${two(result.decisionConfidence)} is below the threshold ${two(vote.threshold)}.`;
    case "no_ballots":
      return "Nobody voted before the vote closed.";
    case "no_quorum":
      return `Only ${ballots} of the ${vote.quorum} ballots the quorum needs arrived before the close.`;
    default:
      return `Escalated: ${result.reason}.`;
  }
}
