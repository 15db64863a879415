// Who works for an agent that is away, table-driven.
import { describe, expect, test } from "vitest";
import { resolveWorkingAgent, type AgentLink } from "./fallback";

const agents = (statuses: Record<string, string>, fallbacks: Record<string, string> = {}): AgentLink[] =>
  Object.entries(statuses).map(([name, status]) => ({ name, status, fallbackName: fallbacks[name] ?? null }));

describe("resolveWorkingAgent", () => {
  test.each([
    [{ claude: "active", opus: "active" }, "claude", { agent: "claude", via: [] }],
    [{ claude: "rate_limited", opus: "active" }, "claude", { agent: "opus", via: ["claude"] }],
    [{ claude: "rate_limited", opus: "offline" }, "claude", null],
  ])("%j: %s is worked by %j", (statuses, name, expected) => {
    expect(resolveWorkingAgent(agents(statuses, { claude: "opus" }), name)).toEqual(expected);
  });
});
