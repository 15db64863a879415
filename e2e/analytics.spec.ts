// `npm run demo` on a fresh data folder, then the pages a newcomer looks at first: the Overview's four KPI
// cards against their targets, and the Analytics charts, whose time window lives in the URL.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePortSync } from "./support/free-port";
import { expect, test } from "@playwright/test";

const PORT = freePortSync();
const BASE = `http://127.0.0.1:${PORT}`;
const PASSWORD = "demo-admin-password-1";

function env(dataDir: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {
    ...process.env,
    FED_DATA_DIR: dataDir,
    FED_ADMIN_PASSWORD: PASSWORD,
    PORT: String(PORT),
    HOST: "127.0.0.1",
  };
  for (const key of ["DATABASE_URL", "FED_ADMIN_TOKEN", "NEXTAUTH_SECRET"]) delete e[key];
  return e;
}

async function startApp(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: env(dataDir),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`the app exited:\n${out}`);
    if (
      await fetch(`${BASE}/api/v1/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill("SIGKILL");
  throw new Error(`the app did not start:\n${out}`);
}

test("npm run demo fills an empty database; the Overview shows the four KPIs with targets; the charts follow the window in the URL", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const dataDir = mkdtempSync(path.join(tmpdir(), "fed-demo-"));
  let app: ChildProcess | null = null;
  try {
    const demo = spawnSync(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
      env: env(dataDir),
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(demo.status, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/Demo history loaded .*: \d+ tasks, \d+ outcomes, \d+ votes, \d+ escalations/);
    const again = spawnSync(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
      env: env(dataDir),
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("the demo fills only an empty one");

    app = await startApp(dataDir);
    await page.goto(`${BASE}/login`);
    await page.getByLabel("Email").fill("admin@federation.local");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();

    for (const [id, target] of [
      ["auto-scheduled", "target ≥ 50%"],
      ["vote-resolution", "target ≥ 80%"],
      ["routing-accuracy", "target > 92%"],
      ["handoffs", "target < 3"],
    ] as const) {
      const card = page.getByTestId(`kpi-${id}`);
      await expect(card).toContainText(target);
      await expect(card).toContainText(/on target|close|off target|not enough data/);
    }
    await expect(page.getByRole("list", { name: "Top performers" }).getByRole("listitem")).toHaveCount(5);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Analytics", exact: true }).click();
    const success = page.locator('[data-chart="success-by-agent"]');
    await expect(success.locator(".recharts-bar-rectangle")).toHaveCount(6);
    await expect(page.locator('[data-chart="heatmap"] td[title*="ollama on implementation"]')).toBeVisible();
    await expect(page.locator('[data-chart="trends"] .recharts-line')).toHaveCount(6);
    const monthly = await page.getByTestId("analytics-totals").innerText();

    await page.getByRole("radio", { name: "7 days" }).click();
    await expect(page).toHaveURL(/window=7d/);
    await expect(page.getByTestId("analytics-totals")).not.toHaveText(monthly);
    const weekly = Number((await page.getByTestId("analytics-totals").innerText()).split(" ")[0]!.replace(/,/g, ""));
    expect(weekly).toBeLessThan(Number(monthly.split(" ")[0]!.replace(/,/g, "")));

    await success.getByRole("radio", { name: "Table" }).click();
    await expect(success.getByRole("table", { name: "Success rate by agent" })).toContainText("ollama");
    await page.reload();
    await expect(page.getByRole("radio", { name: "7 days" })).toHaveAttribute("aria-checked", "true");
  } finally {
    if (app && app.exitCode === null) {
      const exited = new Promise((r) => app!.once("exit", r));
      app.kill("SIGINT");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});
