// Decisions read as sentences.
import { expect, test } from "vitest";
import { describeResolution } from "./describe";

const resolved = (resolution: Record<string, unknown>, resolvedBy = "reuben@example.com") => ({
  state: "resolved" as const,
  resolution,
  resolvedBy,
});

test.each([
  [
    resolved({ action: "reassign", assignee: "kimi-ide", note: "kimi is rate limited" }),
    "Assigned to kimi-ide by reuben@example.com — “kimi is rate limited”",
  ],
  [resolved({ action: "retry" }), "Retried by reuben@example.com"],
  [resolved({ action: "cancel", note: "  obsolete " }), "Cancelled by reuben@example.com — “obsolete”"],
  [
    resolved({ action: "decide", option: "python", note: "the team knows it" }),
    "Decided “python” by reuben@example.com — “the team knows it”",
  ],
  [resolved({ action: "reopen" }, "admin-token"), "Vote reopened by admin-token"],
  [resolved({ action: "dismiss" }), "Dismissed by reuben@example.com, left as it was"],
  [{ state: "open" as const, resolution: null, resolvedBy: null }, "Waiting for a decision."],
])("%j reads “%s”", (e, sentence) => expect(describeResolution(e)).toBe(sentence));
