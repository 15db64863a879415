// `fed run` seen from the browser (issue 23): a person watching a task's page sees the agent's output arrive while
// the agent works, then the outcome with its branch — without reloading.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { agentToken, apiCall, BASE, ensureAgent } from "./support/api";
import { E2E_ADMIN } from "./support/env";
import { signIn } from "./support/session";

test("the task page shows the agent's output live while fed run works on it, then the outcome", async ({ page }) => {
  const work = mkdtempSync(path.join(tmpdir(), "e2e-fed-run-"));
  const repo = path.join(work, "repo");
  try {
    execFileSync("git", ["init", "-q", "-b", "main", repo]);
    writeFileSync(path.join(repo, "README.md"), "# e2e\n");
    execFileSync("git", ["add", "README.md"], { cwd: repo });
    execFileSync("git", ["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "Start"], {
      cwd: repo,
    });
    await ensureAgent("e2e-runner");
    const token = await agentToken("e2e-runner");
    // A type of its own: the runner claims this task, not one an earlier run left.
    const type = `e2e-run-${Date.now().toString(36)}`;
    const task = await apiCall("/tasks", {
      body: { title: "Write the e2e file", type, assignee: "e2e-runner" },
    });
    expect(task.status).toBe(201);
    const id = task.body.id as string;

    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await page.goto(`/queue/${id}`);
    await expect(page.getByRole("heading", { name: "Write the e2e file" })).toBeVisible();
    await expect(page.locator("html[data-live=on]")).toHaveCount(1);

    const runner = spawn(
      process.execPath,
      [
        "bin/fed.mjs",
        "run",
        "--agent",
        "e2e-runner",
        "--repo",
        repo,
        "--once",
        "--types",
        type,
        "--",
        "node",
        path.resolve("tests/fake-agents/coder.mjs"),
      ],
      {
        cwd: process.cwd(),
        env: {
          PATH: process.env.PATH,
          HOME: work,
          FED_CONFIG_DIR: work,
          FED_URL: BASE,
          FED_TOKEN: token,
          FAKE_DELAY_MS: "5000",
        } as unknown as NodeJS.ProcessEnv,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let said = "";
    runner.stdout!.on("data", (c: Buffer) => (said += c.toString()));
    runner.stderr!.on("data", (c: Buffer) => (said += c.toString()));
    const exited = new Promise<number | null>((resolve) => runner.once("exit", resolve));

    // While the fake works: its first lines on the page, colours stripped, and the task still in progress.
    const log = page.getByRole("log", { name: "Agent output" });
    await expect(log, said)
      .toContainText("fake coder: got", { timeout: 15_000 })
      .catch((e) => {
        throw new Error(`${(e as Error).message}\nfed run said:\n${said}`);
      });
    await expect(log).toContainText("thinking…");
    await expect(log).not.toContainText("\u001b[");
    await expect(page.getByText("Live, as the agent prints it.")).toBeVisible();
    expect((await apiCall(`/tasks/${id}`)).body.state).toBe("in_progress");

    expect(await exited).toBe(0);
    // Then, without a reload: the outcome, and the rest of the output.
    await expect(page.getByTestId("outcome")).toContainText("Succeeded", { timeout: 10_000 });
    await expect(page.getByTestId("outcome")).toContainText(`fed/${id}`);
    await expect(log).toContainText(`committed ${id}.txt`);
    await expect(page.getByTestId("git-facts")).toContainText(`Branch fed/${id} · 1 commit`);
    if (process.env.E2E_SHOT) await page.screenshot({ path: process.env.E2E_SHOT, fullPage: true });
    // The page with its output is as accessible as the rest, in both themes.
    expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.reload();
    await expect(log).toContainText(`committed ${id}.txt`);
    expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
