// "Active now" is one rule: only lib/agents/status.ts compares a rate limit's end with the clock; every other
// reader asks it (tests/rate-limits.test.ts shows each reader agreeing on a lapsed limit).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";

const ROOTS = ["lib", "app", "components"];
const RULE = /status_?until\s*(<=|<|>=|>)|(<=|<|>=|>)\s*\w*\.?status_?until/i;

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !e.name.endsWith(".test.ts"))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => !f.includes(`${path.sep}generated${path.sep}`));
}

test("no source but lib/agents/status.ts compares a rate limit's end with the clock", () => {
  const offenders = ROOTS.flatMap(sources)
    .filter((f) => f !== path.join("lib", "agents", "status.ts"))
    .filter((f) => RULE.test(readFileSync(f, "utf8")));
  expect(offenders).toEqual([]);
  expect(RULE.test(readFileSync(path.join("lib", "agents", "status.ts"), "utf8"))).toBe(true);
});
