// Who may take whose work, table-driven.
import { describe, expect, test } from "vitest";
import { claimableAssignees, resolveWorkingAgent, type AgentLink } from "./fallback";

const agents = (statuses: Record<string, string>, fallbacks: Record<string, string> = {}): AgentLink[] =>
  Object.entries(statuses).map(([name, status]) => ({ name, status, fallbackName: fallbacks[name] ?? null }));

describe("claimableAssignees", () => {
  test.each([
    ["an active agent keeps its own work", { claude: "active", opus: "active" }, "opus", ["opus"]],
    ["a rate-limited agent's work goes to its fallback", { claude: "rate_limited", opus: "active" }, "opus", ["opus", "claude"]],
    ["standby and offline count as away too", { claude: "standby", opus: "active" }, "opus", ["opus", "claude"]],
    ["the chain passes through agents that are away", { claude: "offline", opus: "standby", kimi: "active" }, "kimi", ["kimi", "opus", "claude"]],
    ["an active agent on the way stops the chain", { claude: "offline", opus: "active", kimi: "active" }, "kimi", ["kimi"]],
    ["agents outside the chain get nothing", { claude: "offline", opus: "active", copilot: "active" }, "copilot", ["copilot"]],
  ])("%s", (_, statuses, caller, expected) => {
    const list = agents(statuses, { claude: "opus", opus: "kimi" });
    expect(claimableAssignees(list, caller).sort()).toEqual([...expected].sort());
  });

  test("a fallback cycle does not loop forever", () => {
    expect(claimableAssignees(agents({ a: "offline", b: "offline", c: "active" }, { a: "b", b: "a" }), "c")).toEqual(["c"]);
  });
});

describe("resolveWorkingAgent", () => {
  test.each([
    [{ claude: "active", opus: "active" }, "claude", { agent: "claude", via: [] }],
    [{ claude: "rate_limited", opus: "active" }, "claude", { agent: "opus", via: ["claude"] }],
    [{ claude: "rate_limited", opus: "offline" }, "claude", null],
  ])("%j: %s is worked by %j", (statuses, name, expected) => {
    expect(resolveWorkingAgent(agents(statuses, { claude: "opus" }), name)).toEqual(expected);
  });
});
