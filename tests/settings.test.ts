// Configuration that fails loudly (issue 22.11): one typed table of settings, checked before `npm start` does
// anything; the README's table is the generated one; no setting is read around the table.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { SETTINGS, settingsProblems, setting, SettingsError } from "@/lib/config/settings";
import { readmeWithSettings } from "@/lib/config/readme";
import { rateLimitConfig } from "@/lib/http/rate-limit";

const root = process.cwd();

describe("settings", () => {
  const saved = process.env.FED_RATE_LIMIT_PER_MINUTE;
  afterEach(() => {
    if (saved === undefined) delete process.env.FED_RATE_LIMIT_PER_MINUTE;
    else process.env.FED_RATE_LIMIT_PER_MINUTE = saved;
  });

  test("`FED_RATE_LIMIT_PER_MINUTE=abc npm start` exits non-zero within seconds, naming the variable, and touches nothing", () => {
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), "fed-settings-")), "data");
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, FED_RATE_LIMIT_PER_MINUTE: "abc", FED_DATA_DIR: dataDir };
      delete env.DATABASE_URL;
      const started = Date.now();
      const run = spawnSync("npm", ["start", "--silent"], { cwd: root, env, encoding: "utf8", timeout: 60_000 });
      const seconds = (Date.now() - started) / 1000;
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('FED_RATE_LIMIT_PER_MINUTE="abc" is not valid');
      expect(run.stderr).toContain("accepts a whole number ≥ 0");
      expect(seconds).toBeLessThan(30); // a bound on a hang, not a speed target: it stops before any database work
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      rmSync(path.dirname(dataDir), { recursive: true, force: true });
    }
  });

  test("every bad value is named with what the variable accepts; unset and empty take the default", () => {
    expect(settingsProblems({})).toEqual([]);
    expect(settingsProblems({ FED_POLL_MS: "" })).toEqual([]);
    const problems = settingsProblems({
      FED_RATE_LIMIT_PER_MINUTE: "abc",
      FED_DB_POOL_SIZE: "1.5",
      PORT: "70000",
      FED_SWEEP_INTERVAL_MS: "-5",
      DATABASE_URL: "mysql://root@127.0.0.1/test",
      FED_DISABLE_SWEEPS: "yes",
      FED_ADMIN_TOKEN: "short",
    });
    expect(problems.map((p) => p.name).sort()).toEqual(
      [
        "DATABASE_URL",
        "FED_ADMIN_TOKEN",
        "FED_DB_POOL_SIZE",
        "FED_DISABLE_SWEEPS",
        "FED_RATE_LIMIT_PER_MINUTE",
        "FED_SWEEP_INTERVAL_MS",
        "PORT",
      ].sort(),
    );
    expect(problems.find((p) => p.name === "PORT")!.accepts).toBe("a whole number from 1 to 65535");
    // Tooling settings are documented, not checked at the app's start.
    expect(settingsProblems({ TEST_DATABASE_URL: "nonsense" })).toEqual([]);
  });

  test("a value read at run time is the parsed one; a bad one throws instead of becoming NaN (no limit)", () => {
    process.env.FED_RATE_LIMIT_PER_MINUTE = "120";
    expect(setting("FED_RATE_LIMIT_PER_MINUTE")).toBe(120);
    expect(rateLimitConfig().perMinute).toBeGreaterThan(0);
    process.env.FED_RATE_LIMIT_PER_MINUTE = "abc";
    expect(() => rateLimitConfig()).toThrow(SettingsError);
    delete process.env.FED_RATE_LIMIT_PER_MINUTE;
    expect(setting("FED_RATE_LIMIT_PER_MINUTE")).toBe(6000);
  });

  test("the README's configuration table is the one generated from the settings", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    expect(readmeWithSettings(readme)).toBe(readme);
    for (const name of Object.keys(SETTINGS)) expect(readme).toContain(`| \`${name}\` |`);
  });

  test("the app reads no FED_ setting around the table", () => {
    // The CLI's own, documented under the CLI; a script may set a default (`??=`) for what it runs.
    const cliOwn = new Set(["FED_URL", "FED_TOKEN", "FED_CONFIG_DIR"]);
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const file = path.join(dir, entry);
        if (entry === "generated" || entry === "node_modules") continue;
        if (statSync(file).isDirectory()) walk(file);
        else if (
          /\.(ts|tsx)$/.test(entry) &&
          !/\.test\.ts$/.test(entry) &&
          !file.endsWith(path.join("config", "settings.ts"))
        ) {
          for (const m of readFileSync(file, "utf8").matchAll(/process\.env\.(FED_[A-Z_]+)\b(?!\s*\?\?=)/g))
            if (!cliOwn.has(m[1]!)) offenders.push(`${path.relative(root, file)}: ${m[1]}`);
        }
      }
    };
    for (const dir of ["lib", "app", "components", "scripts"]) walk(path.join(root, dir));
    expect(offenders).toEqual([]);
  });
});
