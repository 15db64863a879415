// Reuben's first morning after `npm run demo` (issue 20): the inbox's Decided history, work waiting for him of
// every kind, keys that work on a fresh page with an Undo, a tie that suggests nothing, a threshold line where
// its label says, and every page with the demo's data accessible in light and dark and laid out for a phone.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { freePortSync } from "./support/free-port";
import { expect, test, type Page } from "@playwright/test";

test.describe.configure({ mode: "serial" });

const PORT = freePortSync();
const BASE = `http://127.0.0.1:${PORT}`;
const PASSWORD = "demo-day-password-1";
const TOKEN = "demo-day-admin-token-0123456789abcdef0123";

let dataDir = "";
let app: ChildProcess | null = null;

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {
    ...process.env,
    FED_DATA_DIR: dataDir,
    FED_ADMIN_PASSWORD: PASSWORD,
    FED_ADMIN_TOKEN: TOKEN,
    FED_POLL_MS: "30000",
    PORT: String(PORT),
    HOST: "127.0.0.1",
  };
  for (const key of ["DATABASE_URL", "NEXTAUTH_SECRET"]) delete e[key];
  return e;
}

async function api(pathname: string, init: { method?: string; body?: unknown } = {}) {
  const res = await fetch(`${BASE}/api/v1${pathname}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  dataDir = mkdtempSync(path.join(tmpdir(), "fed-demo-day-"));
  const demo = spawnSync(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
    env: env(),
    encoding: "utf8",
    timeout: 120_000,
  });
  if (demo.status !== 0) throw new Error(`npm run demo failed:\n${demo.stdout}\n${demo.stderr}`);
  app = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env: env(), stdio: "ignore" });
  for (let i = 0; i < 240; i++) {
    const ok = await fetch(`${BASE}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the demo app did not start");
});

test.afterAll(async () => {
  if (app && app.exitCode === null) {
    const exited = new Promise((r) => app!.once("exit", r));
    app.kill("SIGINT");
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${BASE}/login`);
  await page.getByLabel("Email").fill("admin@federation.local");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
}

async function demoPages(): Promise<string[]> {
  const task = (await api("/tasks?state=completed&limit=1")).body.items[0].id;
  const vote = (await api("/votes?status=decided&limit=1")).body.items[0].id;
  return [
    "/",
    "/queue",
    "/queue?view=failed",
    `/queue/${task}`,
    "/escalations",
    "/votes",
    `/votes/${vote}`,
    "/analytics",
    "/analytics/leaderboard",
    "/analytics/optimizer",
    "/routing",
    "/agents",
    "/agents/kimi",
    "/rules",
    "/log",
    "/api-docs",
    "/users",
    "/account",
  ].map((p) => BASE + p);
}

test("after the demo, Decided is a readable history, work of every kind waits, and every agent was seen", async ({
  page,
}) => {
  const summary = (await api("/escalations/summary")).body;
  expect(summary.byKind.task).toBeGreaterThanOrEqual(1);
  expect(summary.byKind.routing).toBeGreaterThanOrEqual(1);
  expect(summary.byKind.vote).toBeGreaterThanOrEqual(1);
  expect((await api("/votes?status=open")).body.items.length).toBeGreaterThanOrEqual(1);
  for (const agent of (await api("/agents")).body.items) expect(agent.lastSeenAt, agent.name).not.toBeNull();

  await signIn(page);
  await page.goto(`${BASE}/escalations`);
  await page.getByRole("tab", { name: "Decided" }).click();
  const history = page.getByRole("list", { name: "Decisions, most recent first" });
  await expect(history.locator("[data-decision]").first()).toBeVisible();
  expect(await history.locator("[data-decision]").count()).toBeGreaterThan(5);
  await expect(history.locator("[data-decision]").first()).toContainText(/by admin@federation\.local/);
  await expect(history.locator("[data-decision]").first()).toContainText("Came to a person because");
  for (const kind of ["Tasks", "Votes"]) {
    await page.getByLabel("Kind").selectOption({ label: kind });
    await expect(history.locator("[data-decision]").first()).toBeVisible();
  }
  // No error page, for as long as the relative times tick.
  await page.waitForTimeout(1000);
  await expect(page.getByText("This page could not be shown")).toHaveCount(0);

  await page.goto(`${BASE}/agents`);
  await expect(page.locator("main")).not.toContainText("never");
  await page.goto(`${BASE}/`);
  await expect(page.getByTestId("active-agents")).toHaveText("6");
});

test("on a fresh inbox, a decides the first card at once; Undo brings it back and nothing is sent; without Undo it is sent", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`${BASE}/escalations`);
  const first = page.locator("[data-escalation]").first();
  await expect(first).toBeVisible();
  const id = await first.getAttribute("data-escalation");
  // No click first: the key works the moment the page opens.
  await page.keyboard.press("a");
  await expect(page.locator(`[data-escalation="${id}"]`)).toHaveCount(0);
  const notice = page.locator(`[data-undo="${id}"]`);
  await expect(notice).toBeVisible();
  await notice.getByRole("button", { name: /Undo/ }).click();
  await expect(page.locator(`[data-escalation="${id}"]`)).toBeVisible();
  await page.waitForTimeout(6000);
  expect((await api(`/escalations/${id}`)).body.state).toBe("open");

  await page.locator(`[data-escalation="${id}"]`).focus();
  await page.keyboard.press("a");
  await expect(notice).toBeVisible();
  await expect(notice).toBeHidden({ timeout: 10_000 });
  await expect.poll(async () => (await api(`/escalations/${id}`)).body.state).toBe("resolved");
});

test("a tie suggests no winner, and the threshold line sits at the value it is labelled with", async ({ page }) => {
  await signIn(page);
  await page.goto(`${BASE}/escalations`);
  const tie = page.locator("[data-escalation]", { hasText: "Tie between" }).first();
  await expect(tie).toBeVisible();
  await expect(tie.getByTestId("tie")).toContainText("no option is ahead");
  expect(await tie.getByRole("radio", { checked: true }).count()).toBe(0);
  await expect(tie.getByRole("button", { name: /^Decide/ })).toHaveCount(0);

  // Where 0 and 1 are on the axis (its first and last tick: 0, 0.2, …, 1), and where the line is: 0.70 of the way.
  const at = await tie.locator("svg.recharts-surface").evaluate((svg) => {
    const xs = [...svg.querySelectorAll('.recharts-cartesian-axis-tick-line[orientation="bottom"]')]
      .map((l) => Number(l.getAttribute("x1")))
      .sort((a, b) => a - b);
    const line = svg.querySelector(".recharts-reference-line line");
    return {
      ticks: xs.length,
      zero: xs[0]!,
      one: xs.at(-1)!,
      line: Number(line!.getAttribute("x1")),
      label: [...svg.querySelectorAll("text")].find((t) => t.textContent?.startsWith("threshold"))?.textContent,
    };
  });
  expect(at.ticks).toBe(6);
  expect(at.label).toBe("threshold 0.70");
  expect((at.line - at.zero) / (at.one - at.zero)).toBeCloseTo(0.7, 2);
});

for (const scheme of ["light", "dark"] as const) {
  test(`axe with the demo's data: no serious or critical violation on any page (${scheme})`, async ({ page }) => {
    test.setTimeout(240_000);
    const pages = await demoPages();
    await page.emulateMedia({ colorScheme: scheme });
    await signIn(page);
    const found: string[] = [];
    for (const url of pages) {
      await page.goto(url);
      await page.waitForLoadState("networkidle").catch(() => {});
      await expect(page.locator("main h1").first()).toBeVisible();
      const result = await new AxeBuilder({ page }).analyze();
      for (const v of result.violations.filter((x) => x.impact === "serious" || x.impact === "critical"))
        found.push(
          `${url.slice(BASE.length)}: ${v.id} — ${v.nodes
            .map((n) => n.target.join(" "))
            .slice(0, 3)
            .join(" | ")}`,
        );
    }
    expect(found).toEqual([]);
  });
}

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("with the demo's data no page scrolls sideways; the menu button carries the escalation count; the inbox shows no key hints; titles and the leaderboard fit", async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const pages = await demoPages();
    await signIn(page);
    const wide: string[] = [];
    for (const url of pages) {
      await page.goto(url);
      await page.waitForLoadState("networkidle").catch(() => {});
      await expect(page.locator("main h1").first()).toBeVisible();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 390) wide.push(`${url.slice(BASE.length)}: ${width}px`);
    }
    expect(wide).toEqual([]);

    const open = (await api("/escalations/summary")).body.open;
    await expect(page.getByTestId("menu-escalation-badge")).toHaveText(new RegExp(`^${open}`));

    await page.goto(`${BASE}/escalations`);
    await expect(page.locator("[data-escalation]").first()).toBeVisible();
    expect(await page.locator("main kbd:visible").count()).toBe(0);

    await page.goto(`${BASE}/agents/kimi`);
    const title = page.getByTestId("recent-title").first();
    await expect(title).toBeVisible();
    // The whole title shows, wrapped: nothing is cut.
    expect(
      await title.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.getBoundingClientRect().width > 120),
    ).toBe(true);

    await page.goto(`${BASE}/analytics/leaderboard`);
    const entry = page.getByRole("list", { name: "Leaderboard" }).locator("[data-agent]").first();
    await expect(entry).toBeVisible();
    expect((await entry.boundingBox())!.height).toBeLessThan(90);
  });
});
