// npm test — unit and integration tests (Vitest) on the embedded or the DATABASE_URL PostgreSQL, then the
// browser tests (Playwright) against a production build when a Chromium is found; prints the totals.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { chromiumPath } from "../e2e/support/chromium";

const resultsDir = path.resolve(".test-results");
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
const bin = (name: string) => path.resolve("node_modules", ".bin", name);

function run(cmd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
    child.once("exit", (code) => resolve(code ?? 1));
  });
}

interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

function vitestTotals(file: string): Totals | null {
  if (!existsSync(file)) return null;
  const r = JSON.parse(readFileSync(file, "utf8"));
  return {
    passed: r.numPassedTests,
    failed: r.numFailedTests + (r.numRuntimeErrors ?? 0),
    skipped: r.numPendingTests + r.numTodoTests,
  };
}

function playwrightTotals(file: string): Totals | null {
  if (!existsSync(file)) return null;
  const s = JSON.parse(readFileSync(file, "utf8")).stats;
  return { passed: s.expected + s.flaky, failed: s.unexpected + (s.errors?.length ?? 0), skipped: s.skipped };
}

async function createE2eDatabase(server: string): Promise<string> {
  const name = `fed_e2e_${Date.now().toString(36)}`;
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(server: string, url: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
  await client.end();
}

const totals: Totals = { passed: 0, failed: 0, skipped: 0 };
const add = (t: Totals | null, label: string) => {
  if (!t) {
    console.error(`${label}: no results were written; counting the run as one failure.`);
    totals.failed += 1;
    return;
  }
  totals.passed += t.passed;
  totals.failed += t.failed;
  totals.skipped += t.skipped;
  console.log(`${label}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
};

const server = process.env.DATABASE_URL;
console.log(
  server
    ? `Tests use the PostgreSQL at DATABASE_URL (a fresh database per test file).`
    : "Tests use embedded PostgreSQL (PGlite), a fresh one per test file.",
);
const vitestJson = path.join(resultsDir, "vitest.json");
await run(
  bin("vitest"),
  ["run", "--reporter=default", "--reporter=json", `--outputFile=${vitestJson}`],
  server ? { TEST_DATABASE_URL: server } : {},
);
const unit = vitestTotals(vitestJson);

const chromium = chromiumPath();
let e2e: Totals | null = null;
let e2eRan = false;
if (!chromium) {
  console.log(
    "\nBrowser tests SKIPPED: no Chromium found (set CHROMIUM_PATH, or `apt-get install chromium` for /usr/bin/chromium).",
  );
} else {
  console.log(`\nBuilding the app for the browser tests (Chromium: ${chromium})…`);
  const built = await run(bin("next"), ["build"]);
  if (built !== 0) {
    console.error("next build failed; the browser tests cannot run.");
  } else {
    e2eRan = true;
    // The app's data folder (and the embedded database in it) lives only as long as the run.
    const dataDir = mkdtempSync(path.join(tmpdir(), "fed-e2e-"));
    const env: Record<string, string | undefined> = {
      PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(resultsDir, "playwright.json"),
      CHROMIUM_PATH: chromium,
      E2E_DATA_DIR: dataDir,
    };
    const e2eDatabase = server ? await createE2eDatabase(server) : null;
    if (e2eDatabase) env.E2E_DATABASE_URL = e2eDatabase;
    await run(bin("playwright"), ["test"], env);
    rmSync(dataDir, { recursive: true, force: true });
    if (server && e2eDatabase) await dropDatabase(server, e2eDatabase);
    e2e = playwrightTotals(path.join(resultsDir, "playwright.json"));
  }
}

console.log("");
add(unit, "Unit and integration (Vitest)");
if (chromium) add(e2eRan ? e2e : null, "Browser (Playwright)");
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
process.exit(totals.failed > 0 ? 1 : 0);
