// The audit vocabulary is the one list: no statement spells an action as a SQL literal of its own, and every string
// in the source shaped like an action is one (or one of the few change-stream types that are not in the log).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { AUDIT_ACTIONS, inDomain } from "./actions";

/** Change-stream types that are not audit actions, and strings of the same shape that are not actions at all. */
const NOT_ACTIONS = new Set(["task.log", "task.json", "webhook.test", "agent.name"]);
const DOMAINS = [...new Set(AUDIT_ACTIONS.map((a) => a.slice(0, a.indexOf("."))))];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : sources(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}
const files = ["lib", "app", "components"].flatMap(sources);
const shaped = new RegExp(`(['"\`])((?:${DOMAINS.join("|")})\\.[a-z_]+)\\1`, "g");

test("no SQL statement spells an action itself: each comes from the vocabulary (actionSql)", () => {
  const literals = files
    .filter((f) => !f.endsWith(path.join("audit", "actions.ts")))
    .flatMap((f) =>
      [...readFileSync(f, "utf8").matchAll(shaped)].filter((m) => m[1] === "'").map((m) => `${f}: ${m[0]}`),
    );
  expect(literals).toEqual([]);
});

test("every action-shaped string in the source is an action of the vocabulary", () => {
  const known = new Set<string>(AUDIT_ACTIONS);
  const unknown = files.flatMap((f) =>
    [...readFileSync(f, "utf8").matchAll(shaped)]
      .map((m) => m[2]!)
      .filter((a) => !known.has(a) && !NOT_ACTIONS.has(a))
      .map((a) => `${f}: ${a}`),
  );
  expect(unknown).toEqual([]);
  expect(DOMAINS.length).toBeGreaterThan(10);
});

test("inDomain reads the part before the dot", () => {
  expect(inDomain("agent.token_revoked", "agent")).toBe(true);
  expect(inDomain("agents.x", "agent")).toBe(false);
  expect(inDomain("task.claimed", "agent", "task")).toBe(true);
});
