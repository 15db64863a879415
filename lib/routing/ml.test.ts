// The ML part as pure functions: type rates, similar texts within the type shrunk toward it, the type classifier.
import { describe, expect, test } from "vitest";
import { emptyModel, foldSample, mlScores, predictType, type Model } from "./ml";

const AGENTS = ["claude", "ollama"];

function trained(
  samples: [text: string, type: string | null, agent: string, success: boolean, times: number][],
): Model {
  const model = emptyModel();
  for (const [text, type, agent, success, times] of samples)
    for (let i = 0; i < times; i++) foldSample(model, { text, type, agent, success });
  return model;
}

// Documentation: both agents succeed 70 % overall, but ollama does changelogs well and claude API references.
const docs = trained([
  ["Write the changelog for the router", "documentation", "ollama", true, 18],
  ["Write the changelog for the router", "documentation", "ollama", false, 2],
  ["Write the changelog for the scheduler", "documentation", "claude", true, 10],
  ["Write the changelog for the scheduler", "documentation", "claude", false, 10],
  ["Write the API reference for the router", "documentation", "claude", true, 18],
  ["Write the API reference for the router", "documentation", "claude", false, 2],
  ["Write the API reference for the scheduler", "documentation", "ollama", true, 10],
  ["Write the API reference for the scheduler", "documentation", "ollama", false, 10],
  ["Fix the flaky test in the queue", "debugging", "claude", true, 15],
  ["Fix the flaky test in the queue", "debugging", "ollama", false, 15],
]);

describe("the ML score", () => {
  test("starts from the agent's rate on the type", () => {
    const { scores } = mlScores(docs, AGENTS, "Something unseen", "debugging");
    expect(scores.get("claude")!.score).toBeGreaterThan(0.75);
    expect(scores.get("ollama")!.score).toBeLessThan(0.25);
    expect(scores.get("claude")!.type).toBe("debugging");
  });

  test("similar texts within the type move it: changelogs to ollama, API references to claude", () => {
    const changelog = mlScores(docs, AGENTS, "Write the changelog for billing", "documentation").scores;
    expect(changelog.get("ollama")!.score).toBeGreaterThan(changelog.get("claude")!.score);
    const reference = mlScores(docs, AGENTS, "Write the API reference for billing", "documentation").scores;
    expect(reference.get("claude")!.score).toBeGreaterThan(reference.get("ollama")!.score);
    // The evidence names the words and the agent's own outcomes on them.
    const term = changelog.get("ollama")!.terms.find((t) => t.term === "changelog")!;
    expect(term).toMatchObject({ successes: 18, trials: 20 });
  });

  test("a single similar sample barely moves it (shrunk toward the type rate)", () => {
    const m = trained([
      ["Write the guide", "documentation", "claude", true, 30],
      ["Write the guide", "documentation", "claude", false, 30],
      ["Write the FAQ", "documentation", "claude", true, 1],
    ]);
    const s = mlScores(m, ["claude"], "Write the FAQ", "documentation").scores.get("claude")!;
    expect(s.typeRate).toBeCloseTo(0.5, 1);
    expect(s.score).toBeLessThan(0.6);
  });

  test("without a type, the classifier reads it from the text", () => {
    const guess = predictType(docs, "Fix the flaky test in billing");
    expect([...guess.entries()].sort((a, b) => b[1] - a[1])[0]![0]).toBe("debugging");
    const { scores, typeGuess } = mlScores(docs, AGENTS, "Fix the flaky test in billing");
    expect(typeGuess.get("debugging")).toBeGreaterThan(0.9);
    expect(scores.get("claude")!.score).toBeGreaterThan(scores.get("ollama")!.score);
  });

  test("a type the model has never seen uses every sample, not a guessed type", () => {
    const { scores, typeGuess } = mlScores(docs, AGENTS, "Fix the flaky test", "gardening");
    expect(typeGuess.size).toBe(0);
    expect(scores.get("claude")!.type).toBeNull();
  });

  test("an empty model scores every agent alike", () => {
    const { scores } = mlScores(emptyModel(), AGENTS, "Anything at all");
    expect(scores.get("claude")!.score).toBe(scores.get("ollama")!.score);
  });
});
