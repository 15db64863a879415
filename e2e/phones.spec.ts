// Phones: at 390×844 no page scrolls sideways, the navigation is a menu, and the auto-scheduling switch keeps its
// label.
import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./support/env";
import { everyPage } from "./support/pages";
import { signIn } from "./support/session";

test.use({ viewport: { width: 390, height: 844 } });

test("no page scrolls sideways at 390 px", async ({ page }) => {
  test.setTimeout(180_000);
  const pages = await everyPage();
  await page.goto("/login");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const wide: string[] = [];
  for (const url of pages) {
    await page.goto(url);
    await page.waitForLoadState("networkidle").catch(() => {});
    await expect(page.locator("main h1").first()).toBeVisible();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 390) wide.push(`${url}: ${width}px`);
  }
  expect(wide).toEqual([]);
});

test("the navigation is a menu on a phone; the auto-scheduling switch keeps its label", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(page.getByRole("switch", { name: "Auto-scheduling" })).toBeVisible();
  await expect(page.getByText("Auto-scheduling", { exact: true })).toBeVisible();
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: /^Agents/ })
    .click();
  await expect(page.getByRole("heading", { name: "Agents", level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden(); // closed after the choice
  await menu.click();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await menu.click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
});
