// The seed's v2 formula and the rule score, table-driven.
import { describe, expect, test } from "vitest";
import { hybridFinal, mlConfidence, mlScore, ruleScores, type ModelSnapshot } from "./score";
import { containsKeyword, terms } from "./text";

describe("hybridFinal follows final = 0.6·rule + 0.4·ml·min(1, samples/100)", () => {
  test.each([
    [0.95, 1.0, 60, 0.81],
    [0.95, 1.0, 0, 0.57],
    [0.0, 1.0, 100, 0.4],
    [0.5, 0.5, 250, 0.5],
    [1.0, 0.25, 50, 0.65],
  ])("rule %f, ml %f, %i samples → %f", (rule, ml, samples, final) => {
    expect(hybridFinal(rule, ml, samples)).toBeCloseTo(final, 12);
  });

  test("ML confidence grows with samples up to 1", () => {
    expect([0, 60, 100, 5000].map(mlConfidence)).toEqual([0, 0.6, 1, 1]);
  });
});

describe("rule scores", () => {
  const rules = [
    { agent: "claude", kind: "keyword" as const, pattern: "research", weight: 0.95 },
    { agent: "claude", kind: "type" as const, pattern: "review", weight: 0.9 },
    { agent: "kimi", kind: "keyword" as const, pattern: "clean up", weight: 0.8 },
  ];
  test("an agent scores its best matching rule, and 0 when none matches", () => {
    const s = ruleScores(rules, "Research distributed databases");
    expect(s.get("claude")?.score).toBe(0.95);
    expect(s.get("kimi")?.score).toBe(0);
  });
  test("type rules match the type, keywords match whole words in the text", () => {
    expect(ruleScores(rules, "anything", "review").get("claude")?.score).toBe(0.9);
    expect(ruleScores(rules, "Researching is not research-adjacent", undefined).get("claude")?.score).toBe(0.95);
    expect(ruleScores(rules, "Researchers", undefined).get("claude")?.score).toBe(0);
    expect(ruleScores(rules, "Please clean up the module", undefined).get("kimi")?.score).toBe(0.8);
  });
  test.each([
    ["Clean up the code", "clean up", true],
    ["cleanup", "clean up", false],
    ["The API, documented", "api", true],
  ])("containsKeyword(%s, %s) is %s", (text, k, hit) => expect(containsKeyword(text, k)).toBe(hit));
  test("terms are words without stop words, plus bigrams", () => {
    expect(terms("Write the changelog for the router").sort()).toEqual(
      ["changelog", "changelog router", "router", "write", "write changelog"].sort(),
    );
  });
});

describe("the ML score is an agent's expected success on similar work", () => {
  const model = (kimi: [number, number], copilot: [number, number]): ModelSnapshot => ({
    samples: 200,
    totals: new Map([
      ["kimi", { successes: 80, trials: 100 }],
      ["copilot", { successes: 80, trials: 100 }],
    ]),
    terms: new Map([
      [
        "react",
        {
          docs: 40,
          byAgent: new Map([
            ["kimi", { successes: kimi[0], trials: kimi[1] }],
            ["copilot", { successes: copilot[0], trials: copilot[1] }],
          ]),
        },
      ],
      [
        "the",
        {
          docs: 200,
          byAgent: new Map([
            ["kimi", { successes: 80, trials: 100 }],
            ["copilot", { successes: 80, trials: 100 }],
          ]),
        },
      ],
    ]),
  });
  test("the agent that succeeds more on samples sharing a term scores higher for it", () => {
    const m = model([5, 20], [19, 20]);
    expect(mlScore(m, "copilot", ["react"]).score).toBeGreaterThan(mlScore(m, "kimi", ["react"]).score);
    expect(mlScore(m, "copilot", ["react"]).contributions[0]?.term).toBe("react");
  });
  test("with no evidence on the terms an agent scores its overall success rate", () => {
    const m = model([0, 0], [0, 0]);
    expect(mlScore(m, "kimi", ["unseen"]).score).toBeCloseTo(81 / 102, 9);
  });
});
