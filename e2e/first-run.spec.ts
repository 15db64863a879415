// A newcomer's `npm start` with no DATABASE_URL: embedded database, printed credentials, data kept across restarts.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePortSync } from "./support/free-port";
import { expect, test } from "@playwright/test";

const PORT = freePortSync();

interface Started {
  child: ChildProcess;
  output: () => string;
}

async function start(dataDir: string): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(PORT), HOST: "127.0.0.1", FED_DATA_DIR: dataDir };
  for (const key of ["DATABASE_URL", "FED_ADMIN_PASSWORD", "FED_ADMIN_TOKEN", "NEXTAUTH_SECRET"]) delete env[key];
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${out}`);
    const ok = await fetch(`http://127.0.0.1:${PORT}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, output: () => out };
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill("SIGKILL");
  throw new Error(`npm start did not become healthy:\n${out}`);
}

async function stop(started: Started): Promise<void> {
  const exited = new Promise<number | null>((resolve) => started.child.once("exit", resolve));
  started.child.kill("SIGINT");
  expect(await exited).toBe(0);
  expect(started.output()).toContain("Stopped cleanly.");
}

test("npm start with no DATABASE_URL serves the app, its printed credentials sign in, and a restart keeps the data", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const dataDir = mkdtempSync(path.join(tmpdir(), "fed-first-run-"));

  const first = await start(dataDir);
  // The credentials are printed again as the last lines, once the app answers (a first build prints ~100 lines).
  await expect.poll(() => first.output(), { timeout: 15_000 }).toContain("Federation is ready.");
  const output = first.output();
  expect(output).toContain("Embedded PostgreSQL");
  const email = /email:\s+(\S+)/.exec(output)?.[1];
  const password = /password:\s+(\S+)\s+\(shown once/.exec(output)?.[1];
  expect(email).toBe("admin@federation.local");
  expect(password).toBeTruthy();
  const tail = output.trimEnd().split("\n").slice(-3).join("\n");
  expect(tail).toContain(`password: ${password}`);

  const base = `http://127.0.0.1:${PORT}`;
  await page.goto(`${base}/login`);
  // Before anyone has signed in, the login page says where the first admin's password is.
  await expect(page.getByTestId("first-sign-in")).toContainText("npm start");
  await page.getByLabel("Email").fill(email!);
  await page.getByLabel("Password").fill(password!);
  await page.getByRole("button", { name: "Sign in" }).click();
  // A generated password is replaced before anything else.
  await expect(page.getByRole("heading", { name: "Choose your own password" })).toBeVisible();
  await page.getByLabel("Password you signed in with").fill(password!);
  await page.getByLabel("New password").fill("my-own-password-123");
  await page.getByRole("button", { name: "Set my password" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  // A federation with no work yet says how to start instead of showing a wall of "—".
  const guide = page.getByTestId("getting-started");
  await expect(guide).toContainText("Issue a token for an agent");
  await expect(guide).toContainText("npm run demo");
  await expect(guide.getByRole("link", { name: "Agents" })).toHaveAttribute("href", "/agents");
  await page.goto(`${base}/login`);
  await expect(page).not.toHaveURL(/\/login/);
  const created = await page.request.post(`${base}/api/v1/agents`, {
    headers: { origin: base },
    data: { name: "persisted", displayName: "Kept across restarts" },
  });
  expect(created.status()).toBe(201);

  // A second `npm start` on the same data folder refuses, saying why, and leaves the first one running.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(freePortSync()),
    HOST: "127.0.0.1",
    FED_DATA_DIR: dataDir,
  };
  delete env.DATABASE_URL;
  const twin = spawnSync(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env,
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(twin.status).toBe(1);
  expect(twin.stderr + twin.stdout).toContain(`already running on the data folder ${dataDir}`);
  expect((await fetch(`${base}/api/v1/health`)).status).toBe(200);
  await stop(first);

  const second = await start(dataDir);
  expect(second.output()).not.toContain("First admin account");
  await page.context().clearCookies();
  await page.goto(`${base}/login`);
  await expect(page.getByTestId("first-sign-in")).toHaveCount(0);
  await page.getByLabel("Email").fill(email!);
  await page.getByLabel("Password").fill("my-own-password-123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page.goto(`${base}/agents`);
  await expect(page.locator('tr[data-agent="persisted"]')).toContainText("Kept across restarts");
  await stop(second);
  rmSync(dataDir, { recursive: true, force: true });
});
