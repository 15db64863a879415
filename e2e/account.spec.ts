// A person's own API tokens on the account page: issued with a name and an expiry, shown once, working as that
// person with their role, revoked in one click.
import { expect, test } from "@playwright/test";
import { apiCall, BASE } from "./support/api";
import { signIn } from "./support/session";

test("a member issues a personal token on the account page, uses it as themself, and revokes it", async ({ page }) => {
  const email = `tokens-${Date.now() % 100000}@example.com`;
  await apiCall("/users", { body: { email, name: "Tess Tokens", role: "member", password: "member-password-1" } });
  await signIn(page, email, "member-password-1");
  await page.goto("/account");
  await page.getByLabel("Token name").fill("laptop");
  await page.getByLabel("Expiry").selectOption("30");
  await page.getByRole("button", { name: "Issue token" }).click();
  const token = (await page.getByTestId("issued-token").textContent())!.trim();
  expect(token).toMatch(/^fedu_/);
  const row = page.getByRole("table", { name: "Personal API tokens" }).locator("tbody tr").first();
  await expect(row).toContainText("laptop");
  await expect(row).toContainText(/in 30 d|from now/);

  const me = await fetch(`${BASE}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(await me.json()).toMatchObject({ kind: "user", role: "member", label: email });
  const created = await fetch(`${BASE}/api/v1/tasks`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ title: "Filed from a script", type: "research", assignee: "claude" }),
  });
  expect(created.status).toBe(201);
  expect((await created.json()).createdBy).toBe(email);

  await page.reload();
  await expect(page.getByTestId("issued-token")).toHaveCount(0); // shown once
  await row.getByRole("button", { name: "Revoke" }).click();
  await page
    .getByRole("dialog", { name: /Revoke token/ })
    .getByRole("button", { name: "Revoke token" })
    .click();
  await expect(page.getByRole("table", { name: "Personal API tokens" })).toHaveCount(0);
  expect((await fetch(`${BASE}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
});
