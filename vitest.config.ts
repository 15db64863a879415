import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "tests/**/*.test.ts"],
    environment: "node",
    // Seeding 100 000 rows may take longer than the app's 8 s statement timeout on a slow machine; the silent-database
    // chaos test sets its instance's own.
    env: { FED_DB_QUERY_TIMEOUT_MS: "30000" },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
    fileParallelism: true,
  },
});
