// Auto-scheduling as the orchestrator sets it up: the switch, a rule from the form, a follow-up appearing.
import { expect, test } from "@playwright/test";
import { agentToken, apiCall } from "./support/api";
import { E2E_ADMIN } from "./support/env";
import { navigate, signIn } from "./support/session";

test("an admin turns auto-scheduling on, creates a rule in the form, and sees its follow-up in the queue and the parent's chain", async ({
  page,
}) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const toggle = page.getByRole("switch", { name: "Auto-scheduling" });
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await toggle.click();
  // One stray tap does not flip the whole federation: it asks first.
  const ask = page.getByRole("dialog", { name: "Turn auto-scheduling on?" });
  await expect(ask).toBeVisible();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await ask.getByRole("button", { name: "Turn on" }).click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  expect((await apiCall("/federation/state")).body).toMatchObject({ autoScheduling: true, updatedBy: E2E_ADMIN.email });

  await navigate(page, "Rules");
  await page.getByRole("button", { name: "New rule" }).click();
  const dialog = page.getByRole("dialog", { name: "New rule" });
  await dialog.getByLabel("Name").fill("Tests → docs");
  await dialog.getByLabel("Of type").fill("testing");
  await dialog.getByLabel("By agent").selectOption("copilot");
  await dialog.getByLabel("Type", { exact: true }).fill("documentation");
  await dialog.getByLabel("Assignee").selectOption("ollama");
  await dialog.getByLabel("Title template").fill("Document {{nope}}");
  await dialog.getByRole("button", { name: "Create rule" }).click();
  await expect(dialog.getByText(/Unknown placeholder \{\{nope\}\}/)).toBeVisible();
  await dialog.getByLabel("Title template").fill("Document the tests of {{title}}");
  await dialog.getByRole("button", { name: "Create rule" }).click();
  await expect(page.getByText("Rule “Tests → docs” saved.")).toBeVisible();

  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("preview-result")).toContainText("Implement: Research distributed databases");

  const parent = await apiCall("/tasks", {
    body: { title: "Checkout flow", type: "testing", assignee: "copilot", priority: "high" },
  });
  const token = await agentToken("copilot");
  const claimed = await apiCall("/tasks/claim", { token, body: { types: ["testing"] } });
  expect(claimed.body.id).toBe(parent.body.id);
  const done = await apiCall(`/tasks/${parent.body.id}/complete`, {
    token,
    body: { success: true, leaseToken: claimed.body.leaseToken },
  });
  expect(done.body.followUps).toHaveLength(1);
  expect(done.body.followUps[0]).toMatchObject({
    title: "Document the tests of Checkout flow",
    assignee: "ollama",
    source: "auto",
    chainDepth: 1,
    priority: "high",
  });

  await navigate(page, "Queue");
  const card = page.locator(`[data-column="pending"] li[data-task="${done.body.followUps[0].id}"]`);
  await expect(card).toContainText("Document the tests of Checkout flow");
  await expect(card).toContainText("auto");
  await page.goto(`/queue/${parent.body.id}`);
  await expect(page.getByTestId("follow-ups")).toContainText("Document the tests of Checkout flow");
  await page.goto(`/queue/${done.body.followUps[0].id}`);
  await expect(page.getByText(`created by rule`)).toBeVisible();
  await expect(page.getByRole("link", { name: /Checkout flow/ })).toHaveCount(2); // as its parent and as its dependency
});

test("editing the changes-requested rule and saving keeps its verdict, which its sentence and the form show", async ({
  page,
}) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await navigate(page, "Rules");
  const row = page.locator("[data-rule]", { hasText: "with verdict changes requested" }).first();
  await expect(row).toBeVisible();
  const name = await row.getAttribute("data-rule");
  await row.getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit rule" });
  await expect(dialog.getByLabel("With verdict")).toHaveValue("changes_requested");
  // Saved as it is: nothing is lost.
  await dialog.getByRole("button", { name: "Save rule" }).click();
  await expect(dialog).toBeHidden();
  // Saved with a change elsewhere: the verdict stays.
  await page.locator(`[data-rule="${name}"]`).getByRole("button", { name: "Edit" }).click();
  await dialog.getByLabel("Max chain depth").fill("4");
  await dialog.getByRole("button", { name: "Save rule" }).click();
  await expect(page.getByText(`Rule “${name}” saved.`)).toBeVisible();
  await expect(page.locator(`[data-rule="${name}"]`)).toContainText("with verdict changes requested");
  const rule = (await apiCall("/rules")).body.items.find((r: { name: string }) => r.name === name);
  expect(rule.when.verdict).toBe("changes_requested");
  expect(rule.maxChainDepth).toBe(4);
});
