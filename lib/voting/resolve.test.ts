// The contract's resolution rules, table by table, with the seed's own example first.
import { describe, expect, test } from "vitest";
import { resolveVote, type BallotLike, type VoteRules } from "./resolve";

const rules = (over: Partial<VoteRules> = {}): VoteRules => ({
  options: ["python", "typescript", "go"],
  method: "weighted_confidence",
  threshold: 0.7,
  quorum: null,
  ...over,
});
const b = (voter: string, option: string, confidence: number): BallotLike => ({ voter, option, confidence });

describe("resolveVote", () => {
  test("the seed's example: python 0.80 + python 0.80 + typescript 0.80 → decided, python, 1.60 vs 0.80, confidence 0.80, majority", () => {
    const result = resolveVote(rules(), [
      b("claude", "python", 0.8),
      b("kimi", "python", 0.8),
      b("copilot", "typescript", 0.8),
    ]);
    expect(result).toEqual({
      status: "decided",
      winner: "python",
      scores: { python: 1.6, typescript: 0.8, go: 0 },
      decisionConfidence: 0.8,
      reason: "majority",
    });
    expect(result.scores.python).toBeCloseTo(1.6, 12);
  });

  test.each([
    [
      "unanimous and confident",
      [b("a", "go", 0.9), b("b", "go", 0.8)],
      { status: "decided", winner: "go", reason: "unanimous" },
    ],
    [
      "a tie between the two highest scores",
      [b("a", "python", 0.8), b("b", "typescript", 0.8)],
      { status: "escalated", reason: "tie" },
    ],
    [
      "a tie within 1e-9 still ties",
      [b("a", "python", 0.3 + 0.6), b("b", "typescript", 0.9)],
      { status: "escalated", reason: "tie" },
    ],
    [
      "all ballots below 0.70",
      [b("a", "python", 0.6), b("b", "python", 0.65), b("c", "go", 0.5)],
      { status: "escalated", reason: "low_confidence", leading: "python" },
    ],
    [
      "the winner's mean exactly at the threshold decides",
      [b("a", "python", 0.7), b("b", "python", 0.7), b("c", "go", 0.9)],
      { status: "decided", winner: "python", reason: "majority" },
    ],
    [
      "a confident minority does not lift the winner's own confidence",
      [b("a", "python", 0.5), b("b", "python", 0.5), b("c", "go", 0.99)],
      { status: "escalated", reason: "low_confidence" },
    ],
    ["no ballots at close", [], { status: "escalated", reason: "no_ballots", decisionConfidence: 0 }],
  ])("%s", (_, ballots, expected) => {
    const result = resolveVote(rules(), ballots);
    expect(result).toMatchObject(expected);
    if (result.status === "escalated") expect(result.winner).toBeUndefined();
  });

  test("quorum: fewer ballots than it at close escalate with no_quorum, even when they agree", () => {
    expect(resolveVote(rules({ quorum: 3 }), [b("a", "go", 0.9), b("b", "go", 0.9)])).toMatchObject({
      status: "escalated",
      reason: "no_quorum",
      leading: "go",
    });
    expect(resolveVote(rules({ quorum: 2 }), [b("a", "go", 0.9), b("b", "go", 0.9)])).toMatchObject({
      status: "decided",
      reason: "unanimous",
    });
    expect(resolveVote(rules({ quorum: 2 }), [])).toMatchObject({ reason: "no_ballots" });
  });

  test("simple_majority counts ballots, whatever their confidence", () => {
    const ballots = [b("a", "python", 0.75), b("b", "python", 0.75), b("c", "go", 1.0)];
    expect(resolveVote(rules({ method: "simple_majority" }), ballots)).toMatchObject({
      status: "decided",
      winner: "python",
      scores: { python: 2, go: 1, typescript: 0 },
      decisionConfidence: 0.75,
    });
    // Two unsure ballots outweigh one sure one by count, not by weight.
    const unsure = [b("a", "python", 0.4), b("b", "python", 0.4), b("c", "go", 0.95)];
    expect(resolveVote(rules(), unsure)).toMatchObject({ status: "decided", winner: "go" });
    expect(resolveVote(rules({ method: "simple_majority" }), unsure)).toMatchObject({
      status: "escalated",
      reason: "low_confidence",
      leading: "python",
    });
  });
});
