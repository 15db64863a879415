// The queue console as an admin uses it: search and filters kept in the URL, a bulk retry by filter with a preview
// count and a confirmation dialog, CSV export, and the keyboard.
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { agentToken, apiCall, ensureAgent } from "./support/api";
import { E2E_ADMIN } from "./support/env";
import { signIn } from "./support/session";

async function failedTasks(type: string, n: number): Promise<string[]> {
  await ensureAgent("e2e-console");
  await apiCall("/agents/e2e-console", { method: "PATCH", body: { status: "active" } });
  const token = await agentToken("e2e-console");
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = await apiCall("/tasks", {
      body: { title: `Nightly import ${type} #${i}`, type, assignee: "e2e-console", maxAttempts: 1 },
    });
    const claimed = await apiCall("/tasks/claim", { token, body: { types: [type] } });
    await apiCall(`/tasks/${claimed.body.id}/complete`, {
      token,
      body: { success: false, summary: "upstream timed out", leaseToken: claimed.body.leaseToken },
    });
    ids.push(t.body.id);
  }
  return ids;
}

test("bulk retry by filter: the dialog previews the count, the run retries each task once", async ({ page }) => {
  const type = `e2e-bulk-${Date.now() % 100000}`;
  const ids = await failedTasks(type, 6);
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto(`/queue?view=failed&type=${type}`);
  const list = page.getByRole("region", { name: "Tasks" });
  await expect(list.locator("li[data-task]")).toHaveCount(6);
  // The filter survives a reload: it lives in the URL.
  await page.reload();
  await expect(page.getByLabel("Type")).toHaveValue(type);
  await expect(list.locator("li[data-task]")).toHaveCount(6);

  await page.getByTestId("bulk-bar").getByRole("button", { name: "Retry" }).click();
  const dialog = page.getByRole("dialog", { name: "Retry tasks" });
  await expect(dialog.getByTestId("bulk-preview")).toContainText("Retry 6 tasks?");
  await expect(dialog.getByTestId("bulk-preview")).toContainText("6 tasks matching the filter");
  // Nothing has happened yet.
  expect((await apiCall(`/tasks/counts?type=${type}`)).body).toMatchObject({ failed: 6, pending: 0 });
  await dialog.getByRole("button", { name: "Retry 6 tasks" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText("6 tasks retried")).toBeVisible();
  await expect(page.getByText("No tasks match")).toBeVisible({ timeout: 2_000 });
  expect((await apiCall(`/tasks/counts?type=${type}`)).body).toMatchObject({ failed: 0, pending: 6 });
  for (const id of ids) {
    const detail = await apiCall(`/tasks/${id}`);
    expect(detail.body.events.filter((e: { action: string }) => e.action === "task.retried")).toHaveLength(1);
  }
});

test("by selection: cancel two picked tasks after confirming; Keep them changes nothing", async ({ page }) => {
  const type = `e2e-pick-${Date.now() % 100000}`;
  for (let i = 0; i < 3; i++) await apiCall("/tasks", { body: { title: `Pick me ${i}`, type, assignee: "claude" } });
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto(`/queue?view=pending&type=${type}`);
  await page.getByLabel("Select Pick me 0").check();
  await page.getByLabel("Select Pick me 2").check();
  await expect(page.getByTestId("bulk-bar")).toContainText("2 selected");
  await page.getByTestId("bulk-bar").getByRole("button", { name: "Cancel" }).click();
  const dialog = page.getByRole("dialog", { name: "Cancel tasks" });
  await expect(dialog.getByTestId("bulk-preview")).toContainText("Cancel 2 tasks?");
  await dialog.getByRole("button", { name: "Keep them" }).click();
  await expect(dialog).toBeHidden();
  expect((await apiCall(`/tasks/counts?type=${type}`)).body).toMatchObject({ pending: 3, cancelled: 0 });
  await page.getByTestId("bulk-bar").getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("dialog", { name: "Cancel tasks" }).getByRole("button", { name: "Cancel 2 tasks" }).click();
  await expect(page.getByText("2 tasks cancelled")).toBeVisible();
  expect((await apiCall(`/tasks/counts?type=${type}`)).body).toMatchObject({ pending: 1, cancelled: 2 });
});

test("search from the keyboard, move with j and k, open with enter; ? lists the shortcuts; export CSV", async ({
  page,
}) => {
  const type = `e2e-keys-${Date.now() % 100000}`;
  const a = await apiCall("/tasks", { body: { title: "Rotate the signing keys", type, assignee: "claude" } });
  await apiCall("/tasks", {
    body: { title: "Unrelated chore", description: "rotate nothing here", type: `${type}-x`, assignee: "claude" },
  });
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/queue?view=all");
  await expect(page.getByRole("region", { name: "Tasks" }).locator("li[data-task]").first()).toBeVisible();
  await page.keyboard.press("/");
  const search = page.getByRole("searchbox");
  await expect(search).toBeFocused();
  await page.keyboard.type("signing key");
  await expect(page).toHaveURL(/q=signing\+key/);
  const rows = page.getByRole("region", { name: "Tasks" }).locator("li[data-task]");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute("data-task", a.body.id);

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const csv = await readFile((await (await download).path())!, "utf8");
  expect(csv.split("\r\n").filter(Boolean)).toHaveLength(2);
  expect(csv).toContain(`${a.body.id},Rotate the signing keys,${type},`);

  await search.press("Escape");
  // Leaving the search keeps it.
  await expect(search).toHaveValue("signing key");
  await page.waitForTimeout(400);
  await expect(page).toHaveURL(/q=signing\+key/);
  await expect(rows).toHaveCount(1);
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toContainText("Next task");
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();
  // j moves to the next task (with one task listed, it stays there however often it is pressed).
  const link = page.getByRole("link", { name: "Rotate the signing keys" });
  await expect(async () => {
    await page.keyboard.press("j");
    await expect(link).toBeFocused({ timeout: 500 });
  }).toPass({ timeout: 5_000 });
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/queue/${a.body.id}$`));
  await expect(page).toHaveTitle(/^Rotate the signing keys · Queue · Federation/);
});
