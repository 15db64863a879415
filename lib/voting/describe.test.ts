// Vote outcomes read as sentences.
import { expect, test } from "vitest";
import { describeOutcome } from "./describe";

const scores = { python: 1.6, typescript: 0.8 };
test.each([
  [{ status: "open", result: null, decidedBy: null }, "Open"],
  [
    {
      status: "decided",
      result: { status: "decided", winner: "python", scores, decisionConfidence: 0.8, reason: "majority" },
      decidedBy: null,
    },
    "Decided “python”: the highest score, confidently (confidence 0.80)",
  ],
  [
    {
      status: "escalated",
      result: { status: "escalated", scores, decisionConfidence: 0.8, reason: "tie" },
      decidedBy: null,
    },
    "Escalated to a person: the two highest scores are equal",
  ],
  [
    {
      status: "decided",
      result: {
        status: "decided",
        winner: "go",
        scores,
        decisionConfidence: 0.5,
        reason: "low_confidence",
        note: "go is faster",
      },
      decidedBy: "reuben",
    },
    "Decided “go” by reuben (the agents escalated: its voters were not confident enough) — “go is faster”",
  ],
] as const)("%j → %s", (vote, sentence) =>
  expect(describeOutcome({ ...(vote as object), threshold: 0.7 } as never)).toBe(sentence),
);
