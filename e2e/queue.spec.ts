// The Queue board as a person sees it, and the queue under 50 concurrent claimers over HTTP.
import { expect, test } from "@playwright/test";
import { agentToken, apiCall, ensureAgent } from "./support/api";
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
  await expect(page.locator("dl").getByRole("link", { name: "kimi-ide" })).toBeVisible();
  const after = await apiCall(`/tasks/${created.body.id}`);
  expect(after.body).toMatchObject({ state: "pending", assignee: "kimi-ide", attempts: 0 });
});

test("Pending reads in claim order with positions; a task that runs out of attempts lands in Failed", async ({
  page,
}) => {
  await ensureAgent("e2e-board");
  const make = async (title: string, priority: string, extra: Record<string, unknown> = {}) =>
    (await apiCall("/tasks", { body: { title, type: "board-check", assignee: "e2e-board", priority, ...extra } })).body
      .id as string;
  const low = await make("Tidy the changelog", "low");
  const urgent = await make("Fix the outage", "urgent");
  const normal = await make("Write the release notes", "normal");
  const flaky = await make("Flaky import", "normal", { type: "board-flaky", maxAttempts: 2 });
  const token = await agentToken("e2e-board");
  for (let attempt = 1; attempt <= 2; attempt++) {
    const claimed = await apiCall("/tasks/claim", { token, body: { types: ["board-flaky"] } });
    expect(claimed.body.id).toBe(flaky);
    const done = await apiCall(`/tasks/${flaky}/complete`, {
      token,
      body: {
        success: false,
        retry: true,
        summary: `broke on attempt ${attempt}`,
        leaseToken: claimed.body.leaseToken,
      },
    });
    expect(done.status).toBe(200);
  }
  expect((await apiCall(`/tasks/${flaky}`)).body).toMatchObject({ state: "failed", attempts: 2 });

  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await navigate(page, "Queue");
  await page.getByLabel("Agent").selectOption("e2e-board");
  const pending = page.locator('[data-column="pending"] li');
  await expect(pending).toHaveCount(3);
  expect(await pending.evaluateAll((cards) => cards.map((c) => c.getAttribute("data-task")))).toEqual([
    urgent,
    normal,
    low,
  ]);
  await expect(pending.first()).toContainText("1.Fix the outage");
  await expect(pending.nth(2)).toContainText("3.Tidy the changelog");

  const failed = page.locator(`[data-column="failed"] li[data-task="${flaky}"]`);
  await expect(failed).toBeVisible();
  await expect(failed).toContainText("2 of 2 attempts used");
  await expect(failed).toContainText("failed — broke on attempt 2");
  await expect(page.locator(`[data-column="completed"] li[data-task="${flaky}"]`)).toHaveCount(0);
});
