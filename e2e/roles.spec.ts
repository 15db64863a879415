// Viewers look but cannot change; anonymous callers are turned away everywhere but health.
import { expect, test } from "@playwright/test";
import { BASE } from "./support/api";
import { E2E_ADMIN_TOKEN } from "./support/env";
import { navigate, signIn } from "./support/session";

test("a viewer sees the agents but no controls, and the API refuses the viewer's changes", async ({
  page,
  request,
}) => {
  const created = await request.post("/api/v1/users", {
    headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
    data: { email: "viewer@example.com", name: "Vera Viewer", role: "viewer", password: "viewer-password-1" },
  });
  expect(created.status()).toBe(201);

  await signIn(page, "viewer@example.com", "viewer-password-1");
  await navigate(page, "Agents");
  await expect(page.locator('tr[data-agent="claude"]')).toBeVisible();
  await expect(page.getByRole("button", { name: "New agent" })).toHaveCount(0);
  await expect(page.getByRole("combobox")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);

  // The page's own session cookie, used against the API as the page's own script would (same origin).
  const sameOrigin = { origin: BASE };
  const post = await page.request.post("/api/v1/agents", { headers: sameOrigin, data: { name: "sneaky" } });
  expect(post.status()).toBe(403);
  expect((await post.json()).detail).toMatch(/admin/);
  const patch = await page.request.patch("/api/v1/agents/claude", { headers: sameOrigin, data: { status: "offline" } });
  expect(patch.status()).toBe(403);

  await page.goto("/agents/claude");
  await expect(page.getByRole("button", { name: "Issue token" })).toHaveCount(0);
});

test("anonymous visitors are sent to sign in and get 401 from the API, except health", async ({ page, request }) => {
  await page.goto("/agents");
  await expect(page).toHaveURL(/\/login/);
  expect((await request.get("/api/v1/agents")).status()).toBe(401);
  expect((await request.get("/api/v1/log")).status()).toBe(401);
  const health = await request.get("/api/v1/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ status: "ok", database: "ok" });
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("admin@federation.local");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
});
