// Playwright: real Chromium (Debian's, or CHROMIUM_PATH) against a production build started by scripts/start.ts.
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { chromiumPath, CHROMIUM_ARGS } from "./e2e/support/chromium";
import { E2E_ADMIN, E2E_ADMIN_TOKEN, E2E_PORT as port, E2E_SECRET } from "./e2e/support/env";

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  retries: 0,
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    launchOptions: { executablePath: chromiumPath() ?? undefined, args: CHROMIUM_ARGS },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
  webServer: {
    command: "node --import tsx scripts/start.ts",
    url: `http://127.0.0.1:${port}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: "pipe",
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      FED_ADMIN_PASSWORD: E2E_ADMIN.password,
      FED_ADMIN_TOKEN: E2E_ADMIN_TOKEN,
      NEXTAUTH_SECRET: E2E_SECRET,
      // Pages poll every 30 s only while their live stream is down: whatever a spec sees change within seconds
      // came by push (GET /api/v1/events), not by polling.
      FED_POLL_MS: "30000",
      // The webhook specs' receivers listen on this machine's loopback.
      FED_WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
      // npm test makes this a temporary folder and removes it afterwards.
      FED_DATA_DIR: process.env.E2E_DATA_DIR ?? path.join(tmpdir(), `fed-e2e-${Date.now()}`),
      ...(process.env.E2E_DATABASE_URL ? { DATABASE_URL: process.env.E2E_DATABASE_URL } : { DATABASE_URL: "" }),
    },
  },
});
