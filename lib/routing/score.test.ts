// The seed's v2 formula and the rule score, table-driven.
import { describe, expect, test } from "vitest";
import { hybridFinal, mlConfidence, ruleScores } from "./score";
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
    { agent: "claude", kind: "keyword" as const, pattern: "compare", weight: 0.8 },
    { agent: "kimi", kind: "keyword" as const, pattern: "clean up", weight: 0.8 },
    { agent: "kimi", kind: "keyword" as const, pattern: "endpoint", weight: 0.7 },
    { agent: "ollama", kind: "keyword" as const, pattern: "documentation", weight: 0.7 },
    { agent: "ollama", kind: "keyword" as const, pattern: "docs", weight: 0.6 },
  ];
  test("one matching rule scores its weight; none scores 0", () => {
    const s = ruleScores(rules, "Research distributed databases");
    expect(s.get("claude")?.score).toBe(0.95);
    expect(s.get("claude")?.matched.map((r) => r.pattern)).toEqual(["research"]);
    expect(s.get("kimi")?.score).toBe(0);
  });
  test("several matching rules add evidence: 1 − Π(1 − weight), never above 1", () => {
    const s = ruleScores(rules, "Research and compare queue libraries", "review");
    expect(s.get("claude")?.score).toBeCloseTo(1 - 0.05 * 0.2 * 0.1, 12);
    expect(s.get("claude")?.rule?.pattern).toBe("research");
    expect(s.get("claude")?.matched).toHaveLength(3);
  });
  test("keywords match word stems and plurals, case-insensitively", () => {
    expect(ruleScores(rules, "Researching the researchers", undefined).get("claude")?.score).toBe(0.95);
    expect(ruleScores(rules, "List the ENDPOINTS", undefined).get("kimi")?.score).toBe(0.7);
    expect(ruleScores(rules, "Please clean up the module", undefined).get("kimi")?.score).toBe(0.8);
    expect(ruleScores(rules, "Cleaning up", undefined).get("kimi")?.score).toBe(0.8);
    expect(ruleScores(rules, "Unrelated words", undefined).get("kimi")?.score).toBe(0);
  });
  test("docs, documentation and documenting are one word: counted once, at the strongest weight", () => {
    for (const text of ["Update the docs", "Write documentation", "Documenting the API"])
      expect(ruleScores(rules, text, undefined).get("ollama")?.score).toBe(0.7);
  });
  test.each([
    ["Clean up the code", "clean up", true],
    ["cleanup", "clean up", false],
    ["The API, documented", "api", true],
    ["Fix flaky tests", "flaky", true],
    ["Three leaks", "leak", true],
  ])("containsKeyword(%s, %s) is %s", (text, k, hit) => expect(containsKeyword(text, k)).toBe(hit));
  test("terms are stems without stop words, plus bigrams", () => {
    expect(terms("Write the changelogs for the routers").sort()).toEqual(
      ["changelog", "changelog router", "router", "write", "write changelog"].sort(),
    );
  });
});
