// npm run screenshots — signs in to a running app (BASE_URL, default http://127.0.0.1:3000) and saves
// light and dark screenshots of every page to docs/screenshots/ for the README.
import { chromium } from "@playwright/test";
import { chromiumPath, CHROMIUM_ARGS } from "../e2e/support/chromium";

const base = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const email = process.env.SCREENSHOT_EMAIL ?? "admin@federation.local";
const password = process.env.SCREENSHOT_PASSWORD;
if (!password) throw new Error("Set SCREENSHOT_PASSWORD to the admin's password.");
const pages = (process.env.SCREENSHOT_PAGES ?? "/,/agents,/agents/claude,/log,/users").split(",");

const browser = await chromium.launch({ executablePath: chromiumPath() ?? undefined, args: CHROMIUM_ARGS });
for (const scheme of ["light", "dark"] as const) {
  for (const viewport of [
    { width: 1440, height: 900, tag: "" },
    { width: 390, height: 844, tag: "-mobile" },
  ]) {
    if (viewport.tag && scheme === "dark") continue;
    const context = await browser.newContext({ viewport, colorScheme: scheme, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${base}/`);
    for (const path of pages) {
      await page.goto(`${base}${path}`);
      await page.waitForLoadState("networkidle").catch(() => {});
      const name =
        (path === "/" ? "overview" : path.slice(1).replace(/[/?=&]+/g, "-")) +
        (scheme === "dark" ? "-dark" : "") +
        viewport.tag;
      await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: !viewport.tag });
      console.log(`docs/screenshots/${name}.png`);
    }
    await context.close();
  }
}
await browser.close();
