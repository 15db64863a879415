// Audit events read as sentences with links; rules by name.
import { describe, expect, test } from "vitest";
import { sentence, sentenceText } from "./sentence";
import type { EventDto } from "./schema";

const ev = (action: string, subject: string, details: Record<string, unknown>, actor = "claude"): EventDto => ({
  id: 1,
  at: "2026-11-26T00:00:00.000Z",
  actor,
  action,
  subject,
  details,
});

describe("sentences", () => {
  test("task events name the agent and link the task", () => {
    const done = ev("task.completed", "task:task-1", { agent: "claude", durationMinutes: 12, summary: "Fixed it" });
    expect(sentenceText(done)).toBe("claude completed task-1 in 12 min: “Fixed it”.");
    expect(sentence(done)).toContainEqual({ text: "task-1", href: "/queue/task-1" });
    expect(sentenceText({ ...done, details: { agent: "claude", summary: "Done." } })).toBe(
      "claude completed task-1: “Done.”",
    );
    expect(sentence(done)).toContainEqual({ text: "claude", href: "/agents/claude" });
    expect(sentenceText(ev("task.failed", "task:t", { agent: "kimi", attempts: 3, maxAttempts: 3 }))).toBe(
      "kimi failed t after 3 of 3 attempts.",
    );
    expect(
      sentenceText(ev("task.claimed", "task:t", { agent: "kimi", attempt: 2, fallbackFor: "claude" }, "kimi")),
    ).toBe("kimi claimed t (attempt 2) as fallback for claude.");
  });

  test("a rule reads by its name, not its id; people and the system read as themselves", () => {
    const names = { rules: new Map([["rule-abc", "Research → implementation"]]) };
    const created = ev("task.created", "task:t2", { title: "Implement: X", assignee: "kimi" }, "rule:rule-abc");
    expect(sentenceText(created, names)).toBe("rule Research → implementation created t2 “Implement: X” for kimi.");
    expect(sentenceText(ev("task.cancelled", "task:t", {}, "ann@example.com"))).toBe("ann@example.com cancelled t.");
    expect(
      sentenceText(ev("task.lease_expired", "task:t", { agent: "kimi", attempts: 1, maxAttempts: 3 }, "system")),
    ).toBe("The lease of kimi on t expired after attempt 1 of 3.");
  });

  test("votes, escalations and unknown actions still read as a sentence", () => {
    expect(
      sentenceText(ev("vote.ballot_cast", "vote:v1", { voter: "kimi", option: "a", confidence: 0.8 }, "kimi")),
    ).toBe("kimi voted a with confidence 0.80 in a vote.");
    expect(
      sentenceText(
        ev("escalation.resolved", "escalation:e", { subjectId: "task-9", action: "retry" }, "ann@example.com"),
      ),
    ).toBe("ann@example.com settled the escalation about task-9 by retrying it.");
    expect(sentenceText(ev("widget.polished", "agent:kimi", {}, "ann@example.com"))).toBe(
      "ann@example.com polished kimi.",
    );
  });
});
