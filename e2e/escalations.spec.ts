// The orchestrator's inbox: a task out of attempts shows up, and a decision in the browser settles it.
import { expect, test } from "@playwright/test";
import { agentToken, apiCall } from "./support/api";
import { E2E_ADMIN } from "./support/env";
import { signIn } from "./support/session";

test("a task that ran out of attempts appears in Escalations and the admin's retry puts it back in the queue", async ({
  page,
}) => {
  const created = await apiCall("/tasks", {
    body: { title: "Flaky deploy", type: "deployment", assignee: "kimi", maxAttempts: 1 },
  });
  const token = await agentToken("kimi");
  const claimed = await apiCall("/tasks/claim", { token, body: { types: ["deployment"] } });
  expect(claimed.body.id).toBe(created.body.id);
  await apiCall(`/tasks/${created.body.id}/complete`, {
    token,
    body: { success: false, retry: true, leaseToken: claimed.body.leaseToken },
  });

  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: /^Escalations/ })
    .click();
  const item = page.locator("[data-escalation]", { hasText: created.body.id });
  await expect(item).toContainText("Failed after 1 of 1 attempts");
  // A failed task can be retried, assigned or dismissed; cancelling it does not apply and is not offered.
  await expect(item.getByRole("button", { name: /Cancel task/ })).toHaveCount(0);
  await item.getByRole("button", { name: "Retry" }).click();
  await expect(item).toBeHidden();
  // The decision is sent when its Undo window ends.
  const undo = page.locator(`[data-undo]`, { hasText: created.body.id });
  await expect(undo).toBeVisible();
  await expect(undo).toBeHidden({ timeout: 10_000 });

  const task = await apiCall(`/tasks/${created.body.id}`);
  expect(task.body).toMatchObject({ state: "pending", attempts: 0 });
  const resolved = await apiCall(`/escalations?state=resolved&kind=task`);
  expect(resolved.body.items.find((e: { subjectId: string }) => e.subjectId === created.body.id)).toMatchObject({
    resolvedBy: E2E_ADMIN.email,
    resolution: { action: "retry" },
  });
});
