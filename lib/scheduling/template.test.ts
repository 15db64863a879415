// Title templates and the rule planner, table-driven.
import { describe, expect, test } from "vitest";
import { planFollowUps, type CompletedSource } from "./engine";
import type { ScheduleRuleDto } from "./schema";
import { renderTemplate, unknownPlaceholders } from "./template";

const values = { title: "Research X", type: "research", agent: "claude", id: "task-20260205-191704-0001" };

describe("templates", () => {
  test.each([
    ["Implement: {{title}}", "Implement: Research X"],
    ["{{type}} by {{agent}} ({{id}})", "research by claude (task-20260205-191704-0001)"],
    ["{{ title }}!", "Research X!"],
    ["plain", "plain"],
  ])("%s renders as %s", (tpl, out) => expect(renderTemplate(tpl, values)).toBe(out));

  test.each([
    ["{{title}} {{nope}}", ["nope"]],
    ["{{title}}", []],
    ["{{agent.name}}", ["agent.name"]],
  ])("%s has unknown placeholders %j", (tpl, bad) => expect(unknownPlaceholders(tpl)).toEqual(bad));
});

describe("planFollowUps", () => {
  const rule = (over: Partial<ScheduleRuleDto> = {}): ScheduleRuleDto => ({
    id: "rule-1",
    name: "r",
    enabled: true,
    when: { type: "research", agent: "claude", success: true, verdict: null },
    then: [
      {
        type: "implementation",
        assignee: "kimi",
        titleTemplate: "Implement: {{title}}",
        priority: "inherit",
        dependsOnSource: true,
      },
    ],
    maxChainDepth: 5,
    createdAt: "",
    updatedAt: "",
    ...over,
  });
  const source: CompletedSource = {
    id: "t1",
    title: "Research X",
    type: "research",
    agent: "claude",
    success: true,
    verdict: null,
    priority: "high",
    chainDepth: 0,
    parentAgent: "kimi-ide",
  };

  test("a matching rule plans its follow-up with the parent's priority and depth + 1", () => {
    expect(planFollowUps([rule()], source)).toEqual([
      {
        ruleId: "rule-1",
        ruleName: "r",
        title: "Implement: Research X",
        type: "implementation",
        assignee: "kimi",
        priority: "high",
        chainDepth: 1,
        maxChainDepth: 5,
        dependsOnSource: true,
        stoppedByDepth: false,
      },
    ]);
  });
  test.each([
    ["a disabled rule", rule({ enabled: false }), source],
    ["another agent", rule(), { ...source, agent: "kimi" }],
    ["another result", rule(), { ...source, success: false }],
    ["another type", rule(), { ...source, type: "design" }],
  ])("%s plans nothing", (_, r, s) => expect(planFollowUps([r], s)).toEqual([]));

  test("a follow-up never gets less than its parent's priority, but may get more", () => {
    const low = rule({
      then: [{ type: "review", assignee: null, titleTemplate: "x", priority: "low", dependsOnSource: true }],
    });
    const urgent = rule({
      then: [{ type: "review", assignee: null, titleTemplate: "x", priority: "urgent", dependsOnSource: true }],
    });
    expect(planFollowUps([low], source)[0]?.priority).toBe("high");
    expect(planFollowUps([urgent], source)[0]?.priority).toBe("urgent");
  });
  test("beyond maxChainDepth the follow-up is marked stopped", () => {
    expect(planFollowUps([rule({ maxChainDepth: 2 })], { ...source, chainDepth: 2 })[0]?.stoppedByDepth).toBe(true);
    expect(planFollowUps([rule({ maxChainDepth: 2 })], { ...source, chainDepth: 1 })[0]?.stoppedByDepth).toBe(false);
  });
  test("assignee placeholders resolve to the finishing agent or its parent's agent", () => {
    const r = rule({
      then: [
        { type: "review", assignee: "{{agent}}", titleTemplate: "a", priority: "inherit", dependsOnSource: true },
        {
          type: "implementation",
          assignee: "{{parent.agent}}",
          titleTemplate: "b",
          priority: "inherit",
          dependsOnSource: true,
        },
      ],
    });
    expect(planFollowUps([r], source).map((p) => p.assignee)).toEqual(["claude", "kimi-ide"]);
  });
  test("a rule with a verdict fires only on completions with that verdict", () => {
    const rework = rule({ when: { type: "review", agent: null, success: true, verdict: "changes_requested" } });
    const review = { ...source, type: "review" };
    expect(planFollowUps([rework], { ...review, verdict: "changes_requested" })).toHaveLength(1);
    expect(planFollowUps([rework], { ...review, verdict: "approved" })).toHaveLength(0);
    expect(planFollowUps([rework], { ...review, verdict: null })).toHaveLength(0);
    const any = rule({ when: { type: "review", agent: null, success: true, verdict: null } });
    expect(planFollowUps([any], { ...review, verdict: "approved" })).toHaveLength(1);
  });
  test("a failed source is never a dependency of its follow-up", () => {
    expect(
      planFollowUps([rule({ when: { type: "research", agent: null, success: false, verdict: null } })], {
        ...source,
        success: false,
      })[0]?.dependsOnSource,
    ).toBe(false);
  });
});
