// The Log page shows new events without a reload.
import { expect, test } from "@playwright/test";
import { E2E_ADMIN, E2E_ADMIN_TOKEN } from "./support/env";
import { navigate, signIn } from "./support/session";

test("the log page shows a change made through the API within seconds, without reloading", async ({
  page,
  request,
}) => {
  const name = `mistral-${Date.now().toString(36)}`;
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/log");
  await expect(page.getByRole("heading", { name: "Log" })).toBeVisible();
  const res = await request.post("/api/v1/agents", {
    headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
    data: { name, displayName: "Mistral" },
  });
  expect(res.status()).toBe(201);
  await expect(
    page.locator('li[data-action="agent.created"]').filter({ hasText: `added the agent ${name}.` }),
  ).toBeVisible({
    timeout: 5_000,
  });

  const md = await request.get("/api/v1/log.md", { headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` } });
  expect(md.headers()["content-type"]).toContain("text/markdown");
  expect(await md.text()).toContain(`agent:${name}`);
});

test("a change made while the page is still loading appears once it is up, without reloading", async ({
  page,
  request,
}) => {
  const name = `mixtral-${Date.now().toString(36)}`;
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  // Hold the Log page's own code until the change below has been made and streamed: the page was rendered on the
  // server before it, and the tab's stream opened before the page's list existed to be refreshed.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/_next/static/chunks/*.js", async (route) => {
    const response = await route.fetch();
    const body = await response.text();
    if (body.includes("Every change, who made it and when")) await held;
    await route.fulfill({ response, body });
  });
  await page.goto("/log", { waitUntil: "commit" });
  await expect(page.locator("html[data-live=on]")).toHaveCount(1, { timeout: 10_000 });
  const res = await request.post("/api/v1/agents", {
    headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
    data: { name, displayName: "Mixtral" },
  });
  expect(res.status()).toBe(201);
  await page.waitForTimeout(1_000);
  release();
  await expect(
    page.locator('li[data-action="agent.created"]').filter({ hasText: `added the agent ${name}.` }),
  ).toBeVisible({ timeout: 5_000 });
});

test("an admin adds a user in the Users page and changes their role", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await navigate(page, "Users");
  await page.getByRole("button", { name: "Add user" }).click();
  const dialog = page.getByRole("dialog", { name: "Add user" });
  await dialog.getByLabel("Email").fill("not-an-email");
  await dialog.getByLabel("Name", { exact: true }).fill("Max Member");
  await dialog.getByRole("button", { name: "Add user" }).click();
  await expect(dialog.getByText("Enter a valid email address.")).toBeVisible();
  await dialog.getByLabel("Email").fill("max@example.com");
  await dialog.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByTestId("new-password")).not.toBeEmpty();
  await page.getByLabel("Role of max@example.com").selectOption("viewer");
  await expect(page.getByText("max@example.com updated.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Role of max@example.com")).toHaveValue("viewer");
});
