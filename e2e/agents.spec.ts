// The admin's path through the Agents page: seed agents, create one, issue a token, use it, revoke it.
import { expect, test } from "@playwright/test";
import { apiCall, ensureAgent } from "./support/api";
import { E2E_ADMIN } from "./support/env";
import { navigate, signIn } from "./support/session";

test("an admin creates an agent, issues a token that works only for that agent, and revokes it", async ({
  page,
  playwright,
}) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await navigate(page, "Agents");
  const table = page.getByRole("table", { name: "Agents" });
  for (const name of ["claude", "copilot-opus", "kimi", "kimi-ide", "copilot", "ollama"]) {
    await expect(table.locator(`tr[data-agent="${name}"]`)).toBeVisible();
  }
  await expect(table.locator('tr[data-agent="claude"]')).toContainText("copilot-opus");

  await page.getByRole("button", { name: "New agent" }).click();
  const dialog = page.getByRole("dialog", { name: "New agent" });
  await dialog.getByLabel("Name", { exact: true }).fill("gemini");
  await dialog.getByLabel("Display name").fill("Gemini CLI");
  await dialog.getByLabel("Capabilities").fill("research, review");
  await dialog.getByRole("button", { name: "Create agent" }).click();
  await expect(page.getByText("Agent gemini created")).toBeVisible();
  await expect(table.locator('tr[data-agent="gemini"]')).toContainText("Gemini CLI");

  await table.getByRole("link", { name: /Gemini CLI/ }).click();
  await expect(page.getByRole("heading", { name: "Gemini CLI" })).toBeVisible();
  await page.getByRole("button", { name: "Issue token" }).click();
  const token = (await page.getByTestId("issued-token").textContent())!.trim();
  expect(token).toMatch(/^fed_/);

  const api = await playwright.request.newContext({
    baseURL: page.url().replace(/\/agents.*$/, ""),
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  });
  const own = await api.get("/api/v1/agents/gemini/briefing");
  expect(own.status()).toBe(200);
  expect((await own.json()).agent.name).toBe("gemini");
  const other = await api.get("/api/v1/agents/claude/briefing");
  expect(other.status()).toBe(403);
  expect(other.headers()["content-type"]).toContain("application/problem+json");

  const row = page.getByRole("table", { name: "Tokens" }).locator("tbody tr").first();
  await row.getByRole("button", { name: "Revoke" }).click();
  await page
    .getByRole("dialog", { name: /Revoke token/ })
    .getByRole("button", { name: "Revoke token" })
    .click();
  await expect(row).toContainText("Revoked");
  expect((await api.get("/api/v1/agents/gemini/briefing")).status()).toBe(401);

  await navigate(page, "Log");
  await expect(page.locator('li[data-action="agent.token_revoked"]').first()).toContainText(
    /revoked a token of gemini/,
  );
  await api.dispose();
});

test("an admin changes an agent's status from the registry and sees it recorded", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/agents");
  await page.getByLabel("Status of ollama").selectOption("offline");
  await expect(page.getByText("ollama is now offline.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Status of ollama")).toHaveValue("offline");
  await page.goto("/agents/ollama");
  await expect(page.locator('li[data-action="agent.status_changed"]').first()).toContainText(
    "set ollama to offline (was active).",
  );
});

test("an admin edits an agent's display name, capabilities and fallback on its page, and sees its figures there", async ({
  page,
}) => {
  await apiCall("/outcomes", {
    body: { agent: "kimi-ide", taskType: "debugging", success: true, durationMinutes: 30 },
  });
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/agents/kimi-ide");
  await expect(page.getByTestId("agent-figures")).toContainText("Tasks");
  await expect(page.getByRole("table", { name: "By task type" })).toContainText("debugging");
  const settings = page.locator("section", { has: page.getByRole("heading", { name: "Settings" }) });
  await settings.getByLabel("Display name").fill("Kimi in the IDE");
  await settings.getByLabel("Capabilities").fill("refactor, debugging, profiling");
  await settings.getByLabel("Fallback").selectOption("kimi");
  await settings.getByRole("button", { name: "Save" }).click();
  await expect(settings.getByText("Saved.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Kimi in the IDE" })).toBeVisible();
  const agent = await apiCall("/agents/kimi-ide");
  expect(agent.body).toMatchObject({
    displayName: "Kimi in the IDE",
    capabilities: ["refactor", "debugging", "profiling"],
    fallback: "kimi",
  });
  // A fallback that would make a cycle is refused, next to its field.
  await page.goto("/agents/kimi");
  const kimi = page.locator("section", { has: page.getByRole("heading", { name: "Settings" }) });
  await kimi.getByLabel("Fallback").selectOption("kimi-ide");
  await kimi.getByRole("button", { name: "Save" }).click();
  await expect(kimi.getByText("This fallback makes a cycle.")).toBeVisible();
  await apiCall("/agents/kimi-ide", { method: "PATCH", body: { fallback: null, displayName: "Kimi IDE" } });
});

test("a rate limit counts down on the Agents page and ends by itself, with no click", async ({ page }) => {
  await ensureAgent("limits-long");
  await ensureAgent("limits-short");
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await navigate(page, "Agents");
  const table = page.getByRole("table", { name: "Agents" });

  // An admin sets a limit from the registry: the countdown starts at once.
  const long = table.locator('tr[data-agent="limits-long"]');
  await page.getByLabel("Status of limits-long").selectOption({ label: "Rate limited for 15 min" });
  await expect(page.getByText("limits-long is now rate limited.")).toBeVisible();
  const countdown = long.getByTestId("rate-limit-countdown");
  await expect(countdown).toHaveText(/^ends in 1[45]:\d\d$/);
  const first = await countdown.textContent();
  await expect(countdown).not.toHaveText(first!); // it ticks

  // An agent (here through the API) sets one 4 s ahead: it counts down, then the row is active again by itself.
  const until = new Date(Date.now() + 4_000).toISOString();
  expect(
    (await apiCall("/agents/limits-short", { method: "PATCH", body: { status: "rate_limited", until } })).status,
  ).toBe(200);
  const short = table.locator('tr[data-agent="limits-short"]');
  await expect(short.getByTestId("rate-limit-countdown")).toHaveText(/^ends in 0:0[0-4]$|^ending…$/);
  await expect(page.getByLabel("Status of limits-short")).toHaveValue("active", { timeout: 12_000 });
  await expect(short.getByTestId("rate-limit-countdown")).toHaveCount(0);

  await apiCall("/agents/limits-long", { method: "PATCH", body: { status: "active" } });
});
