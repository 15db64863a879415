// The live layer: counts agree everywhere without a reload, and a server that goes away shows one banner.
import { expect, test, type Page } from "@playwright/test";
import { agentToken, apiCall, ensureAgent } from "./support/api";
import { E2E_ADMIN } from "./support/env";
import { AppServer } from "./support/server";
import { signIn } from "./support/session";

/** The number a counter shows, read in one go; a badge that is not there (nothing waiting) shows 0. */
const number = (page: Page, testId: string) =>
  page.evaluate(
    (id) => Number((document.querySelector(`[data-testid="${id}"]`)?.textContent ?? "0").replace(/[^\d]/g, "")),
    testId,
  );

test("a task completed through the API: the Overview, the nav badge and the board agree within 2 s, no reload", async ({
  page,
  context,
}) => {
  await ensureAgent("e2e-live");
  await apiCall("/agents/e2e-live", { method: "PATCH", body: { status: "active" } });
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const board = await context.newPage();
  await board.goto("/queue");
  await expect(board.getByTestId("count-pending")).not.toHaveText("…");
  // Both pages have their live stream open (polling is every 30 s in this run: only push can pass this test).
  for (const p of [page, board]) await expect(p.locator("html[data-live=on]")).toHaveCount(1);

  /** The three places that show how many tasks wait, and how many are done: all equal to the API's count. */
  const agree = async () => {
    const counts = (await apiCall("/tasks/counts")).body;
    await expect
      .poll(
        async () => [
          await number(page, "pending-count"),
          await number(page, "queue-badge"),
          await number(board, "count-pending"),
          await number(page, "completed-count"),
          await number(board, "count-completed"),
        ],
        { timeout: 2_000, intervals: [100] },
      )
      .toEqual([counts.pending, counts.pending, counts.pending, counts.completed, counts.completed]);
  };

  const created = await apiCall("/tasks", { body: { title: "Live counts", type: "e2e-live", assignee: "e2e-live" } });
  expect(created.status).toBe(201);
  await agree();
  const token = await agentToken("e2e-live");
  const claimed = await apiCall("/tasks/claim", { token, body: { types: ["e2e-live"] } });
  expect(claimed.body.id).toBe(created.body.id);
  await agree();
  await expect(board.locator(`[data-column="in_progress"] li[data-task="${created.body.id}"]`)).toBeVisible({
    timeout: 2_000,
  });
  const done = await apiCall(`/tasks/${created.body.id}/complete`, {
    token,
    body: { success: true, summary: "counted", leaseToken: claimed.body.leaseToken },
  });
  expect(done.status).toBe(200);
  await agree();
  await expect(board.locator(`[data-column="completed"] li[data-task="${created.body.id}"]`)).toBeVisible({
    timeout: 2_000,
  });
});

test("stop the server: one 'connection lost' banner and no error per column; start it: the banner goes", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const server = new AppServer(3290);
  try {
    await server.start();
    await page.goto(`${server.url}/login`);
    await page.getByLabel("Email").fill(E2E_ADMIN.email);
    await page.getByLabel("Password").fill(E2E_ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    await page.goto(`${server.url}/queue`);
    await expect(page.getByTestId("count-pending")).not.toHaveText("…");
    const banner = page.getByTestId("connection-banner");
    await expect(banner).toBeHidden();

    await server.stop();
    await expect(banner).toBeVisible({ timeout: 10_000 });
    await expect(banner).toHaveText(/Connection lost — retrying/);
    // Let every query fail at least once more: still one banner, and no column shows an error of its own.
    await page.waitForTimeout(4_000);
    await expect(banner).toHaveCount(1);
    await expect(page.getByText(/Could not load/)).toHaveCount(0);
    await expect(page.locator('main [role="alert"]')).toHaveCount(0);

    await server.start();
    await expect(banner).toBeHidden({ timeout: 15_000 });
    await expect(page.getByTestId("count-pending")).not.toHaveText("…");
  } finally {
    await server.dispose();
  }
});
