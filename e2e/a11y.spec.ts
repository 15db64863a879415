// Accessibility: axe-core finds no serious or critical violation on any page, in light and in dark mode; a skip
// link leads to the content.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { E2E_ADMIN } from "./support/env";
import { everyPage } from "./support/pages";
import { signIn } from "./support/session";

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(" ")} ${n.failureSummary?.split("\n")[1]?.trim() ?? ""}`)
          .join(" | ")}`,
    );
}

for (const scheme of ["light", "dark"] as const) {
  test(`axe: no serious or critical violation on any page (${scheme})`, async ({ page }) => {
    test.setTimeout(240_000);
    const pages = await everyPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto("/login");
    const found: string[] = (await seriousViolations(page)).map((v) => `/login: ${v}`);
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    for (const url of pages) {
      await page.goto(url);
      await page.waitForLoadState("networkidle").catch(() => {});
      await expect(page.locator("main h1").first()).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(scheme === "dark");
      found.push(...(await seriousViolations(page)).map((v) => `${url}: ${v}`));
    }
    expect(found).toEqual([]);
  });
}

test("a skip link is the first stop of the keyboard and moves focus to the content", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/queue");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
});
