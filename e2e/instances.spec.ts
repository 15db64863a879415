// Two instances on one PostgreSQL: a change made through instance A reaches a page served by instance B within
// 1 s, by push (pages poll every 30 s in this run, so polling cannot explain it).
import { expect, test } from "@playwright/test";
import { agentToken, apiCall, ensureAgent } from "./support/api";
import { E2E_ADMIN } from "./support/env";
import { AppServer } from "./support/server";
import { signIn } from "./support/session";

test.skip(!process.env.E2E_DATABASE_URL, "two instances need a shared PostgreSQL (npm test with DATABASE_URL; CI)");

test("a task completed through instance A updates the board served by instance B within 1 s", async ({
  page,
  context,
}) => {
  test.setTimeout(240_000);
  const b = new AppServer(3291);
  try {
    await b.start();
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password); // on instance A; the cookie is valid on B too
    const onB = await context.newPage();
    await onB.goto(`${b.url}/queue`);
    await expect(onB.getByTestId("count-pending")).not.toHaveText("…");
    await expect(onB.getByRole("heading", { name: "Queue", level: 1 })).toBeVisible();
    await expect(onB.locator("html[data-live=on]")).toHaveCount(1);

    await ensureAgent("e2e-two");
    await apiCall("/agents/e2e-two", { method: "PATCH", body: { status: "active" } });
    const created = await apiCall("/tasks", {
      body: { title: "Crosses instances", type: "e2e-two", assignee: "e2e-two" },
    });
    const id = created.body.id as string;
    let at = Date.now();
    await expect(onB.locator(`[data-column="pending"] li[data-task="${id}"]`)).toBeVisible({ timeout: 1_000 });
    expect(Date.now() - at).toBeLessThan(1_000);

    const token = await agentToken("e2e-two");
    const claimed = await apiCall("/tasks/claim", { token, body: { types: ["e2e-two"] } });
    await apiCall(`/tasks/${id}/complete`, {
      token,
      body: { success: true, summary: "seen on B", leaseToken: claimed.body.leaseToken },
    });
    at = Date.now();
    await expect(onB.locator(`[data-column="completed"] li[data-task="${id}"]`)).toBeVisible({ timeout: 1_000 });
    expect(Date.now() - at).toBeLessThan(1_000);
  } finally {
    await b.dispose();
  }
});
