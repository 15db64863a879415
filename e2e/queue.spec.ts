// The Queue board as a person sees it, and the queue under 50 concurrent claimers over HTTP.
import { expect, test } from "@playwright/test";
import { agentToken, apiCall } from "./support/api";
import { E2E_ADMIN } from "./support/env";
import { navigate, signIn } from "./support/session";

test("a task created in the form moves from Pending to In progress to Completed without a reload", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await navigate(page, "Queue");
  await expect(page.getByRole("heading", { name: "Queue", level: 1 })).toBeVisible();

  await page.getByRole("button", { name: "New task" }).click();
  const dialog = page.getByRole("dialog", { name: "New task" });
  await dialog.getByRole("button", { name: "Create task" }).click();
  await expect(dialog.getByText("Give the task a title.")).toBeVisible();
  await dialog.getByLabel("Title").fill("Write the e2e changelog");
  await dialog.getByLabel("Type").fill("Not A Slug");
  await dialog.getByRole("button", { name: "Create task" }).click();
  await expect(dialog.getByText(/Use a slug/)).toBeVisible();
  await expect(dialog.getByLabel("Title")).toHaveValue("Write the e2e changelog");
  await dialog.getByLabel("Type").fill("documentation");
  await dialog.getByLabel("Assignee").selectOption("ollama");
  await dialog.getByRole("button", { name: "Create task" }).click();
  await expect(dialog).toBeHidden();

  const pending = page.locator('[data-column="pending"]');
  const card = pending.locator("li", { hasText: "Write the e2e changelog" });
  await expect(card).toBeVisible();
  const id = (await card.getAttribute("data-task"))!;

  await apiCall("/agents/ollama", { method: "PATCH", body: { status: "active" } });
  const token = await agentToken("ollama");
  const claimed = await apiCall("/tasks/claim", { token, body: { types: ["documentation"] } });
  expect(claimed.status).toBe(200);
  expect(claimed.body.id).toBe(id);
  await expect(page.locator(`[data-column="in_progress"] li[data-task="${id}"]`)).toBeVisible({ timeout: 2_500 });
  await expect(page.locator(`[data-column="in_progress"] li[data-task="${id}"]`)).toContainText(/lease \d+m/);

  const done = await apiCall(`/tasks/${id}/complete`, {
    token,
    body: { success: true, durationMinutes: 12, summary: "Changelog written", leaseToken: claimed.body.leaseToken },
  });
  expect(done.status).toBe(200);
  const completedCard = page.locator(`[data-column="completed"] li[data-task="${id}"]`);
  await expect(completedCard).toBeVisible({ timeout: 2_500 });
  await expect(completedCard).toContainText("succeeded — Changelog written");

  await completedCard.click();
  await expect(page.getByTestId("outcome")).toContainText("Succeeded · by ollama · 12 min");
  await expect(page.locator('li[data-action="task.completed"]')).toBeVisible();
});

test("an admin retries a failed task and reassigns it from the task page", async ({ page }) => {
  const created = await apiCall("/tasks", {
    body: { title: "Flaky migration", type: "implementation", assignee: "kimi", maxAttempts: 1 },
  });
  const token = await agentToken("kimi");
  const claimed = await apiCall("/tasks/claim", { token, body: { types: ["implementation"] } });
  expect(claimed.body.id).toBe(created.body.id);
  await apiCall(`/tasks/${created.body.id}/complete`, {
    token,
    body: { success: false, retry: true, leaseToken: claimed.body.leaseToken },
  });

  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto(`/queue/${created.body.id}`);
  await expect(page.getByText("Failed", { exact: true }).first()).toBeVisible();
  await page.getByLabel("Reassign to").selectOption("kimi-ide");
  await page.getByRole("button", { name: "Reassign" }).click();
  await expect(page.locator('li[data-action="task.reassigned"]')).toBeVisible();
  await expect(page.getByRole("link", { name: "kimi-ide" })).toBeVisible();
  const after = await apiCall(`/tasks/${created.body.id}`);
  expect(after.body).toMatchObject({ state: "pending", assignee: "kimi-ide", attempts: 0 });
});
