// The routing explainer as a person uses it, and how an edited rule changes the outcome.
import { expect, test } from "@playwright/test";
import { apiCall } from "./support/api";
import { E2E_ADMIN } from "./support/env";
import { navigate, signIn } from "./support/session";

test("typing a research task shows claude with its score breakdown, and editing a rule changes the outcome", async ({
  page,
}) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await navigate(page, "Routing");
  await page.getByLabel("Task").fill("Research distributed databases");
  await expect(page.getByTestId("routed-agent")).toHaveText("claude");
  await expect(page.getByTestId("breakdown")).toContainText("Rule component");
  await expect(page.getByTestId("breakdown")).toContainText("0.95");
  await expect(page.locator('tr[data-candidate="claude"]')).toContainText("keyword:research");
  await expect(page.getByTestId("compare")).toContainText("v1 rules: claude");

  await page.getByLabel("Task").fill("Research and implement distributed databases");
  await expect(page.getByTestId("routed-agent")).toHaveText("claude");

  // Rules come grouped per agent, closed; a search opens the groups with a match.
  const claudeRules = page.locator('[data-rule-agent="claude"] details');
  await expect(claudeRules).not.toHaveAttribute("open");
  await page.getByLabel("Search rules").fill("research");
  await expect(claudeRules).toHaveAttribute("open");
  await expect(page.locator('[data-rule-agent="kimi"] [data-rule="kimi:keyword:implement"]')).toBeHidden();
  const weight = page.getByLabel("Weight of claude keyword research");
  await weight.fill("0.1");
  await weight.press("Enter");
  const typeWeight = page.getByLabel("Weight of claude type research");
  await expect(typeWeight).toBeVisible();

  // With its research keyword nearly silenced, claude no longer wins this text: kimi's "implement" does.
  await expect(page.getByTestId("routed-agent")).toHaveText("kimi");
  const rules = await apiCall("/routing-rules");
  expect(
    rules.body.items.find(
      (r: { agent: string; pattern: string; kind: string }) =>
        r.agent === "claude" && r.kind === "keyword" && r.pattern === "research",
    ).weight,
  ).toBe(0.1);
});

test("below confidence 0.30 the explainer headlines no agent: a person decides; words with no samples say so", async ({
  page,
}) => {
  // Two outcomes of claude's on changelogs: the words are known, but ollama has no samples of them yet. And one
  // success and one failure on plants, so that the model knows a word of the errand below whatever other specs
  // trained before (evidence, but no confident match), rather than nothing at all.
  for (const success of [true, false]) {
    for (const [task, type] of [
      ["Write the changelog for billing", "documentation"],
      ["Repot the plants", "errands"],
    ]) {
      const trained = await apiCall("/route/train", { body: { task, agent: "claude", success, type } });
      expect(trained.status).toBe(201);
    }
  }
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await navigate(page, "Routing");

  await page.getByLabel("Task").fill("Water the office plants");
  await page.getByLabel("Type (optional)").fill("errands");
  const decision = page.getByTestId("routing-decision");
  await expect(page.getByTestId("routed-agent")).toHaveText("A person decides");
  await expect(decision).toContainText("No agent reaches confidence 0.30");
  for (const agent of ["claude", "copilot", "copilot-opus", "kimi", "kimi-ide", "ollama"])
    await expect(decision).not.toContainText(agent);
  await expect(page.getByRole("table", { name: "Candidates" }).locator("tr[data-candidate]")).not.toHaveCount(0);

  await page.getByLabel("Task").fill("Write the changelog for search");
  await page.getByLabel("Type (optional)").fill("documentation");
  const ollama = page.locator('tr[data-candidate="ollama"]');
  await expect(ollama).toContainText("changelog · no samples yet");
  await expect(page.locator('tr[data-candidate="claude"]')).toContainText("changelog 1/2 (50%)");
  await expect(ollama).not.toContainText("of 0");
});
